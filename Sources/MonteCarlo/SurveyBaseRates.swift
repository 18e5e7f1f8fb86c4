/// What Danish firms reported about their CRM projects in the survey behind this project:
/// Copenhagen Business School 2013 (docs/SOURCES.md, which quotes each figure in Danish with
/// its question number). Shares are of the firms that answered the question, as printed (one
/// decimal); they are the outside view a report sets beside a simulated case, never an input.
public enum SurveyBaseRates {
    /// Q12 "Hvad fortalte business casen?" — the return the business case promised, asked of
    /// the 17.6 % of firms that wrote one. Single choice; the bands are exclusive.
    public enum PromisedReturn: Int, Sendable, CaseIterable {
        /// "En direkte omkostning": a direct cost (our ROI below 0).
        case directCost
        /// "Ingen forrentning … = break Even" (8.1 %) together with "… mindre end 10 %" (8.1 %):
        /// no return up to a return below 10 % (our ROI 0 to below 10 %).
        case belowTen
        /// "… mere end 10 %": above 10 % (our ROI 10 % to below 25 %).
        case tenTo25
        /// "… mere end 25 %": above 25 % (our ROI 25 % to below 50 %).
        case twentyFiveTo50
        /// "… mere end 50 %": above 50 % (our ROI 50 % or more).
        case above50

        /// The band's words in a report.
        public var words: String {
            switch self {
            case .directCost: return "A loss (ROI below 0)"
            case .belowTen: return "0 to 10 %"
            case .tenTo25: return "10 to 25 %"
            case .twentyFiveTo50: return "25 to 50 %"
            case .above50: return "50 % or more"
            }
        }

        /// The band of an ROI (a share: 0.12 is 12 %); nil for NaN (no ROI: nothing spent).
        public init?(roi: Double) {
            guard !roi.isNaN else { return nil }
            switch roi {
            case ..<0: self = .directCost
            case ..<0.10: self = .belowTen
            case ..<0.25: self = .tenTo25
            case ..<0.50: self = .twentyFiveTo50
            default: self = .above50
            }
        }

        /// The share of Q12's respondents who chose this band (5.4 %, 8.1 % + 8.1 %, 21.6 %,
        /// 18.9 %, 5.4 %); the rest, 32.4 %, did not know.
        public var printedShare: Double {
            switch self {
            case .directCost: return 0.054
            case .belowTen: return 0.081 + 0.081
            case .tenTo25: return 0.216
            case .twentyFiveTo50: return 0.189
            case .above50: return 0.054
            }
        }
    }

    /// Q12's "Ved ikke" (don't know): 32.4 %.
    public static let promisedReturnDontKnow = 0.324

    /// Q12's shares among the firms that named a return (the "don't know" answers left out), so
    /// that they add up to 100 % like the shares of a simulated case.
    public static func promisedReturnAmongThoseWhoKnew(_ band: PromisedReturn) -> Double {
        band.printedShare / PromisedReturn.allCases.reduce(0) { $0 + $1.printedShare }
    }

    /// Q48 "Hvordan har I generelt set oplevet jeres CRM implementering, set ud fra en
    /// investering i system, tid og ressourcer?" — what the CRM gave overall: great value 40.5 %,
    /// a little value 41.4 %, no value 9.1 %, a net cost to the firm 9.1 %.
    public static let experiencedValue: [(answer: String, share: Double)] = [
        ("great value", 0.405), ("a little value", 0.414), ("no value", 0.091), ("a net cost to the firm", 0.091),
    ]
}
