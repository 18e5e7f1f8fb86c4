/// Small scenarios several test files share.
enum TestScenarios {
    /// A small case with a few uncertain inputs, quick enough to follow up many times in a test.
    static let tracking = """
    name: Tracking test
    currency: EUR
    horizon: 24
    discount_rate: 8%
    licences: { seats: 20, price: "uniform(80, 120)" }
    adoption: { go_live: 1, ceiling: "pert(40%, 70%, 90%)", half_time: 3, steepness: 0.8 }
    costs:
      - { name: Admin, amount: "uniform(2000, 4000)", per: month }
    acquisition: { new_customers: "uniform(5, 15)", win_rate_uplift: 10%, cost_per_customer: 100 }
    segments:
      - { name: Core, customers: 500, margin: 40, churn: "uniform(10%, 30%)", churn_reduction: "uniform(0%, 40%)" }
    """

    /// NPV = B − C with B uniform on a…b and C fixed, both in month 0 (undiscounted): the
    /// go / no-go decision (and the comparison with not investing) has closed forms.
    static func toyDecision(a: Double, b: Double, c: Double) -> String {
        """
        name: Toy decision
        currency: EUR
        horizon: 1
        licences: { seats: 0, price: 0 }
        adoption: { go_live: 0, ceiling: 100% }
        costs:
          - { name: Outlay, amount: \(c), per: once }
        benefits:
          - { name: Payoff, amount: "uniform(\(a), \(b))", per: once }
        segments:
          - { name: None, customers: 0, margin: 0, churn: 0% }
        """
    }
}
