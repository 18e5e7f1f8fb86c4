/// Scratch space and results of one trial, owned by one worker and reused trial after trial.
public struct TrialWorkspace: Sendable {
    /// The trial's uniforms, in the order of ``TrialModel/uniformKeys``.
    @usableFromInline var uniformValues: [Double]
    // Drawn inputs, in the order of `TrialModel.inputs`.
    public internal(set) var inputValues: [Double]
    public internal(set) var riskOccurred: [Bool]

    // Effective segment parameters of the trial.
    var segmentStart: [Double]
    var segmentMargin: [Double]
    /// Monthly churn probability.
    var segmentChurn: [Double]
    var segmentReduction: [Double]
    var segmentUplift: [Double]
    /// Cost per new customer of each segment (its own, or the acquisition default).
    public internal(set) var segmentCAC: [Double]
    /// Whole customers per segment at the last month simulated, with and without the CRM.
    var customersWith: [Double]
    var customersWithout: [Double]

    // Monthly paths, months 0…H.
    /// Incremental cash flow of each month.
    public internal(set) var cash: [Double]
    public internal(set) var cumulativeCash: [Double]
    public internal(set) var cumulativeDiscountedCash: [Double]
    public internal(set) var adoptionPath: [Double]
    /// Segment-major: segment s, month t at s·(H + 1) + t.
    public internal(set) var customersWithPath: [Double]
    public internal(set) var customersWithoutPath: [Double]
    /// Segment-major, like `customersWithPath`: customers lost and won in each month, the
    /// margin earned with the CRM, and the churn probability and expected arrivals that
    /// month (what actuals are weighed against in a re-forecast).
    public internal(set) var churnedPath: [Double]
    public internal(set) var joinedPath: [Double]
    public internal(set) var marginPath: [Double]
    public internal(set) var churnProbabilityPath: [Double]
    public internal(set) var arrivalRatePath: [Double]
    /// Licence cost and all other costs of each month.
    public internal(set) var licenceCostPath: [Double]
    public internal(set) var otherCostsPath: [Double]
    /// Licensed seats in the trial (after rounding).
    public internal(set) var seatsInTrial = 0.0

    // Scratch of the monthly model, months 0…H: the discount factor of each month (1 at month 0,
    // 1/(1 + r) a month after), and each month's costs and benefits (currency, undiscounted).
    var discountFactors: [Double]
    var monthlyCosts: [Double]
    var monthlyBenefits: [Double]

    // Outcomes.
    public internal(set) var npv = 0.0
    public internal(set) var pvBenefits = 0.0
    public internal(set) var pvCosts = 0.0
    /// NaN when PV costs is 0.
    public internal(set) var roi = 0.0
    public internal(set) var irr: Finance.IRR = .noSignChange
    public internal(set) var payback: Int?
    public internal(set) var discountedPayback: Int?
    public internal(set) var peakFunding = 0.0
    public internal(set) var clvWith: [Double]
    public internal(set) var clvWithout: [Double]
    /// NaN when the segment's cost per new customer is 0.
    public internal(set) var ltvToCac: [Double]
    /// Present value of each tracked line (see `TrialModel.lines`); costs are positive.
    public internal(set) var linePresentValues: [Double]

    init(months: Int, segments: Int, inputs: Int, lines: Int, risks: Int, uniforms: Int) {
        uniformValues = Array(repeating: 0.5, count: uniforms)
        inputValues = Array(repeating: 0, count: inputs)
        riskOccurred = Array(repeating: false, count: risks)
        segmentStart = Array(repeating: 0, count: segments)
        segmentMargin = segmentStart
        segmentChurn = segmentStart
        segmentReduction = segmentStart
        segmentUplift = segmentStart
        segmentCAC = segmentStart
        customersWith = segmentStart
        customersWithout = segmentStart
        cash = Array(repeating: 0, count: months)
        cumulativeCash = cash
        cumulativeDiscountedCash = cash
        adoptionPath = cash
        customersWithPath = Array(repeating: 0, count: months * segments)
        customersWithoutPath = customersWithPath
        churnedPath = customersWithPath
        joinedPath = customersWithPath
        marginPath = customersWithPath
        churnProbabilityPath = customersWithPath
        arrivalRatePath = customersWithPath
        licenceCostPath = cash
        otherCostsPath = cash
        discountFactors = cash
        monthlyCosts = cash
        monthlyBenefits = cash
        clvWith = segmentStart
        clvWithout = segmentStart
        ltvToCac = segmentStart
        linePresentValues = Array(repeating: 0, count: lines)
    }

    /// Customers with the CRM at the horizon, per segment.
    public var customersAtHorizon: [Double] { customersWith }
    /// Customers without the CRM at the horizon, per segment (whole customers, on the same
    /// random numbers as ``customersAtHorizon``).
    public var baselineCustomersAtHorizon: [Double] { customersWithout }
}

extension TrialWorkspace {
    /// The buffers the customer loop writes, segment by segment: the segment-major paths and
    /// the months' benefits. Valid only inside ``withCustomerBuffers(_:)``.
    struct CustomerBuffers {
        var customersWith, customersWithout, churned, joined, margin, churnProbability, arrivalRate: UnsafeMutableBufferPointer<Double>
        var benefits: UnsafeMutableBufferPointer<Double>
    }

    /// Runs `body` with the customer loop's buffers: each array is made unique once here, not
    /// at every write of the loop (which, through `inout` arrays, cost a call each).
    mutating func withCustomerBuffers<R>(_ body: (CustomerBuffers) -> R) -> R {
        customersWithPath.withUnsafeMutableBufferPointer { customersWith in
            customersWithoutPath.withUnsafeMutableBufferPointer { customersWithout in
                churnedPath.withUnsafeMutableBufferPointer { churned in
                    joinedPath.withUnsafeMutableBufferPointer { joined in
                        marginPath.withUnsafeMutableBufferPointer { margin in
                            churnProbabilityPath.withUnsafeMutableBufferPointer { churnProbability in
                                arrivalRatePath.withUnsafeMutableBufferPointer { arrivalRate in
                                    monthlyBenefits.withUnsafeMutableBufferPointer { benefits in
                                        body(CustomerBuffers(
                                            customersWith: customersWith, customersWithout: customersWithout,
                                            churned: churned, joined: joined, margin: margin,
                                            churnProbability: churnProbability, arrivalRate: arrivalRate,
                                            benefits: benefits))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The buffers of pass 1 (the months): adoption share, discount factor, licence cost, costs
    /// and benefits of each month, and the lines' present values. Valid only inside
    /// ``withMonthBuffers(_:)``.
    struct MonthBuffers {
        var adoption, discount, licence, costs, benefits, presentValues: UnsafeMutableBufferPointer<Double>
    }

    /// Runs `body` with the buffers of pass 1 (each array made unique once).
    mutating func withMonthBuffers<R>(_ body: (MonthBuffers) -> R) -> R {
        adoptionPath.withUnsafeMutableBufferPointer { adoption in
            discountFactors.withUnsafeMutableBufferPointer { discount in
                licenceCostPath.withUnsafeMutableBufferPointer { licence in
                    monthlyCosts.withUnsafeMutableBufferPointer { costs in
                        monthlyBenefits.withUnsafeMutableBufferPointer { benefits in
                            linePresentValues.withUnsafeMutableBufferPointer { presentValues in
                                body(MonthBuffers(adoption: adoption, discount: discount, licence: licence,
                                                  costs: costs, benefits: benefits, presentValues: presentValues))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The buffers of pass 3 (the cash): other costs, cash flow, cumulative cash and cumulative
    /// discounted cash of each month. Valid only inside ``withCashBuffers(_:)``.
    struct CashBuffers {
        var otherCosts, cash, cumulative, cumulativeDiscounted: UnsafeMutableBufferPointer<Double>
    }

    /// Runs `body` with the buffers of pass 3 (each array made unique once).
    mutating func withCashBuffers<R>(_ body: (CashBuffers) -> R) -> R {
        otherCostsPath.withUnsafeMutableBufferPointer { otherCosts in
            cash.withUnsafeMutableBufferPointer { cash in
                cumulativeCash.withUnsafeMutableBufferPointer { cumulative in
                    cumulativeDiscountedCash.withUnsafeMutableBufferPointer { cumulativeDiscounted in
                        body(CashBuffers(otherCosts: otherCosts, cash: cash, cumulative: cumulative,
                                         cumulativeDiscounted: cumulativeDiscounted))
                    }
                }
            }
        }
    }
}
