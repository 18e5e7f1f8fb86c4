import Foundation
import Testing
import CRMModel
import ScenarioFormat
import Tracking

// Actuals files (`crmcase track --actuals`): both forms, months as numbers and calendar months,
// every metric, and every mistake reported with its line (header = line 1, blank lines
// counted), in words a user recognises, with a hint where there is a good guess.

private func scenarioYAML(start: Bool) -> String {
    """
    name: Tracking test
    currency: EUR
    \(start ? "start: 2027-01" : "")
    horizon: 24
    licences:
      seats: 20
      price: 50
    adoption:
      go_live: 1
      ceiling: 60% to 85%
    costs:
      - name: Implementation
        amount: 10k
        per: once
    segments:
      - name: Hybrid
        customers: 1200
        margin: 300
        churn: 20%
        mix: 50%
      - name: Loyal
        customers: 800
        margin: 500
        churn: 10%
        mix: 50%

    """
}

private let scenario = try! ScenarioLoader.parse(yaml: scenarioYAML(start: true), file: "case.yaml")
private let scenarioWithoutStart = try! ScenarioLoader.parse(yaml: scenarioYAML(start: false), file: "case.yaml")

private let fileName = "actuals.csv"

private func read(_ csv: String, in scenario: Scenario = scenario,
                  sourceLocation: SourceLocation = #_sourceLocation) -> Actuals? {
    do {
        return try ActualsParser.parse(csv: csv, file: fileName, scenario: scenario)
    } catch {
        Issue.record("The actuals were rejected:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The issues the parser reports for `csv` (none, with a recorded failure, if it accepts it).
private func issues(_ csv: String, in scenario: Scenario = scenario,
                    sourceLocation: SourceLocation = #_sourceLocation) -> [ScenarioIssue] {
    do {
        _ = try ActualsParser.parse(csv: csv, file: fileName, scenario: scenario)
        Issue.record("The actuals were accepted, but they should have been rejected.", sourceLocation: sourceLocation)
        return []
    } catch {
        #expect(!error.issues.isEmpty, "ScenarioErrors must never be empty", sourceLocation: sourceLocation)
        let lines = error.issues.map { $0.line ?? Int.max }
        #expect(lines == lines.sorted(), "issues must be sorted by line", sourceLocation: sourceLocation)
        return error.issues
    }
}

/// Checks that `csv` yields exactly one issue, at `line` (and `column`), with these words.
@discardableResult
private func expectOnly(
    _ csv: String, in scenario: Scenario = scenario, line: Int, column: Int? = nil,
    message words: [String], hint: [String]? = nil, sourceLocation: SourceLocation = #_sourceLocation
) -> ScenarioIssue? {
    let found = issues(csv, in: scenario, sourceLocation: sourceLocation)
    #expect(found.count == 1, "expected one issue, got:\n\(found.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    return expectIssue(found, line: line, column: column, message: words, hint: hint, sourceLocation: sourceLocation)
}

/// Finds the issue at `line` (and `column`, when given) and checks its words.
///
/// - Parameters:
///   - words: must all appear in the message (case-insensitive).
///   - hint: must all appear in the hint; `nil` means no hint is checked, `[]` that there must be one.
@discardableResult
private func expectIssue(
    _ issues: [ScenarioIssue], line: Int, column: Int? = nil, message words: [String], hint: [String]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ScenarioIssue? {
    expectIssue(issues, file: fileName, line: line, column: column, message: words, hint: hint, sourceLocation: sourceLocation)
}


private func obs(_ month: Int, _ metric: TrackedMetric, _ value: Double, line: Int) -> Observation {
    Observation(month: month, metric: metric, value: value, line: line)
}

@Suite struct ActualsParserTests {
    // MARK: Reading

    @Test func longForm() throws {
        let actuals = try #require(read("""
            month,metric,value
            0,customers,2000
            1,active_users,12.5
            1,licence_cost,1k
            1,other_costs,1_500
            1,contribution_margin,-2.5k
            1,new_customers,40
            """))
        #expect(actuals.file == fileName)
        #expect(actuals.observations == [
            obs(0, .customers(segment: nil), 2000, line: 2),
            obs(1, .activeUsers, 12.5, line: 3),
            obs(1, .licenceCost, 1000, line: 4),
            obs(1, .otherCosts, 1500, line: 5),
            obs(1, .contributionMargin(segment: nil), -2500, line: 6),
            obs(1, .newCustomers(segment: nil), 40, line: 7),
        ])
        #expect(actuals.cohorts.isEmpty)
        #expect(actuals.lastMonth == 1)
    }

    @Test func longFormWithSegmentColumnInAnyOrderAndCase() throws {
        let actuals = try #require(read("""
            Value , SEGMENT,Metric, month
            1210,Hybrid,customers,1
            790 ,Loyal , customers,1
            2000,,customers,1
            8,Loyal,Churned,2

            """))
        #expect(actuals.observations == [
            obs(1, .customers(segment: 0), 1210, line: 2),
            obs(1, .customers(segment: 1), 790, line: 3),
            obs(1, .customers(segment: nil), 2000, line: 4),
            obs(2, .churned(segment: 1), 8, line: 5),
        ])
    }

    @Test func bracketSegments() throws {
        let actuals = try #require(read("""
            month,metric,value
            3,customers[Hybrid],1180
            3,churned[Loyal],7
            3, new_customers [ Loyal ] ,12
            3,contribution_margin[Hybrid],360k
            """))
        #expect(actuals.observations.map(\.metric) == [
            .customers(segment: 0), .churned(segment: 1), .newCustomers(segment: 1), .contributionMargin(segment: 0),
        ])
        #expect(actuals.observations.map(\.value) == [1180, 7, 12, 360_000])
    }

    @Test func bracketSegmentAgreeingWithSegmentColumn() throws {
        let actuals = try #require(read("""
            month,metric,segment,value
            3,customers[Hybrid],Hybrid,1180
            """))
        #expect(actuals.observations == [obs(3, .customers(segment: 0), 1180, line: 2)])
    }

    @Test func wideFormSkipsEmptyCellsAndCountsBlankLines() throws {
        let actuals = try #require(read("""
            month,active_users,customers[Hybrid],churned[Hybrid],licence_cost

            1,12,1190,,1000
            ,,,,
            2,,1185,9,
            3,14,,,1000
            """))
        #expect(actuals.observations == [
            obs(1, .activeUsers, 12, line: 3),
            obs(1, .customers(segment: 0), 1190, line: 3),
            obs(1, .licenceCost, 1000, line: 3),
            obs(2, .customers(segment: 0), 1185, line: 5),
            obs(2, .churned(segment: 0), 9, line: 5),
            obs(3, .activeUsers, 14, line: 6),
            obs(3, .licenceCost, 1000, line: 6),
        ])
    }

    @Test func calendarMonthsMapToModelMonths() throws {
        let actuals = try #require(read("""
            month,metric,value
            2027-03,active_users,10
            2027-01,customers,2000
            2029-01,licence_cost,1000
            2027-4,active_users,11
            5,active_users,13
            """))
        #expect(actuals.observations.map(\.month) == [0, 2, 3, 5, 24])
        #expect(actuals.observations.map(\.line) == [3, 2, 5, 6, 4])
    }

    @Test func adoptionAsPercentOrShare() throws {
        let actuals = try #require(read("""
            month,adoption
            1,62%
            2,0.7
            3,100%
            4,0
            """))
        #expect(actuals.observations.map(\.metric) == [.adoption, .adoption, .adoption, .adoption])
        #expect(actuals.observations.map(\.value) == [0.62, 0.7, 1, 0])
    }

    @Test func cohortSurvivorsAreCollectedBySegment() throws {
        let actuals = try #require(read("""
            month,metric,segment,value
            2,cohort_survivors,Loyal,780
            0,cohort_survivors,Loyal,800
            1,cohort_survivors,Loyal,790
            0,cohort_survivors[Hybrid],,1200
            1,cohort_survivors[Hybrid],,1100
            1,customers,Hybrid,1150
            2,cohort_survivors[Hybrid],,1100
            """))
        #expect(actuals.cohorts.map(\.segment) == [0, 1])
        #expect(actuals.cohorts.map(\.survivors) == [[1200, 1100, 1100], [800, 790, 780]])
        #expect(actuals.observations == [obs(1, .customers(segment: 0), 1150, line: 7)])
    }

    @Test func cohortSurvivorsInTheWideForm() throws {
        let actuals = try #require(read("""
            month,cohort_survivors[Hybrid]
            0,1200
            1,1080
            2,990
            """))
        #expect(actuals.cohorts.map(\.segment) == [0])
        #expect(actuals.cohorts.map(\.survivors) == [[1200, 1080, 990]])
        #expect(actuals.observations.isEmpty)
    }

    @Test func observationsAreSortedByMonthThenLine() throws {
        let actuals = try #require(read("""
            month,metric,value
            3,active_users,14
            1,active_users,12
            3,licence_cost,1000
            1,licence_cost,1000
            """))
        #expect(actuals.observations.map(\.line) == [3, 5, 2, 4])
    }

    @Test func quotedFieldsCRLFAndByteOrderMark() throws {
        let actuals = try #require(read("\u{FEFF}month,metric,value\r\n\"1\",\"customers[Hybrid]\",\"1_190\"\r\n\r\n2,active_users,12\r\n"))
        #expect(actuals.observations == [obs(1, .customers(segment: 0), 1190, line: 2), obs(2, .activeUsers, 12, line: 4)])
    }

    @Test func extraEmptyTrailingFieldsAreAccepted() throws {
        let actuals = try #require(read("""
            month,metric,value
            1,active_users,12,,
            """))
        #expect(actuals.observations == [obs(1, .activeUsers, 12, line: 2)])
    }

    @Test func loadReadsAFile() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmcase-actuals-\(UUID().uuidString).csv").path
        try "month,active_users\n1,12\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let actuals = try ActualsParser.load(path: path, scenario: scenario)
        #expect(actuals.file == path)
        #expect(actuals.observations == [obs(1, .activeUsers, 12, line: 2)])
    }

    // MARK: Files that cannot be read

    @Test func missingFile() {
        let path = "/nonexistent/folder/actuals.csv"
        do {
            _ = try ActualsParser.load(path: path, scenario: scenario)
            Issue.record("A missing file was accepted.")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].file == path)
            #expect(error.issues[0].message.contains("no actuals file"))
            #expect(error.issues[0].hint?.contains("path") == true)
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test func notUTF8() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("crmcase-actuals-\(UUID().uuidString).csv").path
        try Data([0x6D, 0x6F, 0x6E, 0x74, 0x68, 0x0A, 0xFF, 0xFE, 0x80]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ActualsParser.load(path: path, scenario: scenario)
            Issue.record("A file that is not UTF-8 was accepted.")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].message.contains("UTF-8"))
        }
    }

    @Test func emptyFile() {
        expectOnly("", line: 1, message: ["empty"], hint: ["month,metric"])
        expectOnly("\n  \n,,\n", line: 1, message: ["empty"])
    }

    @Test func headerButNoFigures() {
        expectOnly("month,metric,value\n\n", line: 1, message: ["no figures"])
        expectOnly("\nmonth,customers\n1,\n", line: 2, message: ["no figures"])
    }

    // MARK: Header

    @Test func missingMonthColumn() {
        expectOnly("""
            mnth,metric,value
            1,customers,5
            """, line: 1, column: 1, message: ["no “month” column"], hint: ["mnth"])
        expectOnly("""
            Date,customers
            1,5
            """, line: 1, message: ["month"], hint: ["“Date”", "`month`"])
        let found = issues("""
            when,customers
            1,5
            """)
        expectIssue(found, line: 1, message: ["no “month” column"], hint: ["add a column"])
    }

    @Test func headerThatLooksLikeFigures() {
        expectOnly("""
            1,customers,5
            2,customers,6
            """, line: 1, message: ["header", "looks like figures"], hint: ["month,metric"])
    }

    @Test func semicolonSeparatedFile() {
        expectOnly("""
            month;metric;value
            1;customers;5
            """, line: 1, message: ["commas"], hint: ["semicolon"])
    }

    @Test func unknownLongFormColumn() {
        expectOnly("""
            month,metric,value,segmnt
            1,customers,5,Hybrid
            """, line: 1, column: 20, message: ["segmnt", "not a column"], hint: ["segment"])
    }

    @Test func segmentColumnInTheWideForm() {
        expectOnly("""
            month,segment,customers
            1,Hybrid,5
            """, line: 1, column: 7, message: ["segment", "long form"], hint: ["customers[Hybrid]"])
    }

    @Test func repeatedColumn() {
        expectOnly("""
            month,customers[Hybrid],Customers[Hybrid]
            1,5,6
            """, line: 1, column: 25, message: ["twice", "columns 2 and 3"], hint: ["keep one"])
    }

    @Test func unnamedColumnWithFigures() {
        expectOnly("""
            month,customers,
            1,5,6
            """, line: 1, column: 17, message: ["column 3", "no name"], hint: [])
        // An unnamed column that is empty throughout (a trailing comma from a spreadsheet) is fine.
        #expect(read("month,customers,\n1,5,\n")?.observations.count == 1)
    }

    @Test func headerWithOnlyTheMonth() {
        expectOnly("month\n1\n", line: 1, message: ["no metrics"], hint: ["month,metric,segment,value"])
    }

    // MARK: Metrics and segments

    @Test func unknownMetricInTheLongForm() {
        expectOnly("""
            month,metric,value
            1,customers,5
            2,custmers,6
            """, line: 3, column: 3, message: ["custmers", "not a metric"], hint: ["did you mean", "`customers`"])
        expectOnly("""
            month,metric,value
            1,revenue,6
            """, line: 2, message: ["revenue"], hint: ["active_users", "contribution_margin", "cohort_survivors"])
        expectOnly("""
            month,metric,value
            1,cohort_survivor[Hybrid],6
            """, line: 2, message: ["cohort_survivor"], hint: ["cohort_survivors"])
    }

    @Test func unknownMetricInTheWideHeader() {
        expectOnly("""
            month,active_users,licence_costs
            1,12,1000
            2,13,1000
            """, line: 1, column: 20, message: ["licence_costs"], hint: ["`licence_cost`"])
    }

    @Test func missingMetric() {
        expectOnly("""
            month,metric,value
            1,,6
            """, line: 2, column: 3, message: ["metric is missing"], hint: ["customers"])
    }

    @Test func segmentOnAMetricWithoutSegments() {
        expectOnly("""
            month,metric,value
            1,licence_cost[A],1000
            """, line: 2, column: 3, message: ["licence_cost", "not given by segment", "“A”"], hint: ["without [A]"])
        expectOnly("""
            month,metric,segment,value
            1,adoption,Hybrid,62%
            """, line: 2, column: 12, message: ["adoption", "segment"], hint: ["empty"])
        expectOnly("""
            month,other_costs[Hybrid]
            1,1000
            """, line: 1, column: 7, message: ["other_costs"], hint: ["customers, churned"])
    }

    @Test func unknownSegment() {
        expectOnly("""
            month,metric,value
            1,customers[Hybird],5
            """, line: 2, column: 3, message: ["no segment “Hybird”"], hint: ["did you mean “Hybrid”"])
        expectOnly("""
            month,metric,segment,value
            1,customers,hybrid,5
            """, line: 2, column: 13, message: ["hybrid"], hint: ["“Hybrid”", "exactly", "capitals"])
        expectOnly("""
            month,customers[Enterprise]
            1,5
            """, line: 1, column: 7, message: ["Enterprise"], hint: ["“Hybrid”, “Loyal”"])
    }

    @Test func segmentGivenTwiceDifferently() {
        expectOnly("""
            month,metric,segment,value
            1,customers[Hybrid],Loyal,5
            """, line: 2, message: ["twice", "Hybrid", "Loyal"])
    }

    @Test func badBrackets() {
        expectOnly("""
            month,metric,value
            1,customers[Hybrid,5
            """, line: 2, message: ["not a metric name"], hint: ["square brackets"])
        expectOnly("""
            month,metric,value
            1,customers[],5
            """, line: 2, message: ["empty brackets"])
    }

    @Test func cohortSurvivorsNeedASegment() {
        expectOnly("""
            month,metric,value
            0,cohort_survivors,1200
            """, line: 2, message: ["cohort_survivors", "needs a segment"], hint: ["cohort_survivors[Hybrid]"])
    }

    // MARK: Months

    @Test func monthNotWholeNumberOrCalendarMonth() {
        expectOnly("""
            month,metric,value
            1.5,customers,5
            """, line: 2, column: 1, message: ["1.5", "whole number"])
        expectOnly("""
            month,metric,value
            March,customers,5
            """, line: 2, message: ["“March” is not a month"], hint: ["0…24", "YYYY-MM"])
        expectOnly("""
            month,metric,value
            2027-03-01,customers,5
            """, line: 2, message: ["date"], hint: ["2027-03"])
        expectOnly("""
            month,metric,value
            2027-13,customers,5
            """, line: 2, message: ["2027-13", "01…12"])
        expectOnly("""
            month,metric,value
            ,customers,5
            """, line: 2, message: ["month is missing"])
    }

    @Test func monthOutsideTheHorizon() {
        expectOnly("""
            month,metric,value
            25,customers,5
            """, line: 2, column: 1, message: ["25", "outside", "0…24", "2027-01 to 2029-01"])
        expectOnly("""
            month,metric,value
            -1,customers,5
            """, line: 2, message: ["-1", "outside"])
        expectOnly("""
            month,metric,value
            2029-02,customers,5
            """, line: 2, message: ["2029-02", "month 25", "2027-01 to 2029-01"])
        expectOnly("""
            month,metric,value
            2026-12,customers,5
            """, line: 2, message: ["month -1", "outside"])
        // Without `start:` the range is given in model months only.
        let issue = expectOnly("""
            month,metric,value
            30,customers,5
            """, in: scenarioWithoutStart, line: 2, message: ["0…24"])
        #expect(issue?.message.contains("2027") == false)
    }

    @Test func calendarMonthWithoutStart() {
        expectOnly("""
            month,metric,value
            1,customers,5
            2027-03,customers,5
            """, in: scenarioWithoutStart, line: 3, column: 1, message: ["calendar month", "no `start:`"],
            hint: ["start:", "month numbers"])
    }

    // MARK: Values

    @Test func nonNumericValue() {
        expectOnly("""
            month,metric,value
            1,customers,many
            """, line: 2, column: 13, message: ["“many” is not a number"], hint: ["1_200"])
        expectOnly("""
            month,licence_cost
            1,€1000
            """, line: 2, column: 3, message: ["not a number"], hint: ["currency"])
        expectOnly("""
            month,metric,value
            1,customers,
            """, line: 2, message: ["value is missing"], hint: ["leave the row out"])
    }

    @Test func countsMustBeWholeAndNotNegative() {
        expectOnly("""
            month,metric,value
            1,customers[Hybrid],1190.5
            """, line: 2, message: ["customers[Hybrid]", "whole number"])
        expectOnly("""
            month,metric,value
            1,churned,-3
            """, line: 2, message: ["churned", "negative"], hint: ["positive"])
        expectOnly("""
            month,new_customers
            1,2.5
            """, line: 2, message: ["new_customers", "whole"])
        expectOnly("""
            month,metric,value
            1,active_users,-1
            """, line: 2, message: ["active_users", "negative"])
        expectOnly("""
            month,cohort_survivors[Loyal]
            0,800.5
            """, line: 2, message: ["cohort_survivors[Loyal]", "whole"])
    }

    @Test func adoptionOutOfRange() {
        expectOnly("""
            month,metric,value
            1,adoption,62
            """, line: 2, column: 12, message: ["adoption", "between 0 and 1"], hint: ["write 62%"])
        expectOnly("""
            month,adoption
            1,150%
            """, line: 2, message: ["adoption", "0% and 100%"])
        expectOnly("""
            month,adoption
            1,-0.1
            """, line: 2, message: ["adoption"])
    }

    @Test func negativeCosts() {
        expectOnly("""
            month,metric,value
            1,licence_cost,-1000
            """, line: 2, message: ["licence_cost", "positive"], hint: ["1000"])
    }

    // MARK: Duplicates

    @Test func sameFigureTwice() {
        expectOnly("""
            month,metric,segment,value
            1,customers,Hybrid,1190

            2027-02,customers[Hybrid],,1191
            """, line: 4, message: ["customers[Hybrid]", "month 1 (2027-02)", "twice", "line 2"])
        // Different segments, or a segment and the total, are different figures.
        #expect(read("""
            month,metric,segment,value
            1,customers,Hybrid,1190
            1,customers,Loyal,790
            1,customers,,1980
            """)?.observations.count == 3)
    }

    @Test func sameMonthTwiceInTheWideForm() {
        expectOnly("""
            month,active_users,licence_cost
            1,12,1000
            2027-02,13,1000
            """, line: 3, message: ["month 1", "already has a row", "line 2"])
    }

    // MARK: Cohorts

    @Test func cohortMustStartAtMonthZero() {
        expectOnly("""
            month,cohort_survivors[Hybrid]
            1,1100
            2,1000
            """, line: 2, message: ["cohort_survivors[Hybrid]", "must start at month 0"], hint: ["month 0"])
    }

    @Test func cohortMustNotHaveGaps() {
        expectOnly("""
            month,metric,value
            0,cohort_survivors[Hybrid],1200
            1,cohort_survivors[Hybrid],1100
            4,cohort_survivors[Hybrid],900
            """, line: 4, message: ["cohort_survivors[Hybrid]", "skips months 2…3", "line 3"], hint: ["without gaps"])
    }

    @Test func cohortMustNotRise() {
        expectOnly("""
            month,cohort_survivors[Loyal]
            0,800
            1,790
            2,795
            """, line: 4, message: ["rises from 790", "to 795"], hint: ["new_customers"])
    }

    @Test func cohortMustStartWithCustomers() {
        expectOnly("""
            month,cohort_survivors[Loyal]
            0,0
            1,0
            """, line: 2, message: ["0 in month 0"])
    }

    // MARK: CSV structure

    @Test func wrongNumberOfFields() {
        expectOnly("""
            month,metric,value
            1,customers
            """, line: 2, message: ["2 fields", "3 columns"], hint: ["empty field"])
        expectOnly("""
            month,metric,value
            1,customers,1,200
            """, line: 2, message: ["4 fields", "3 columns"], hint: ["1_200"])
    }

    @Test func lineBreakInAQuotedField() {
        // The record runs from line 3 to line 4; the line after it is line 5 and is still read.
        expectOnly("""
            month,metric,value
            1,customers,5
            2,"customers
            [Hybrid]",6
            3,churned,4
            """, line: 3, message: ["line break", "runs on to line 4"], hint: ["closing quote"])
        let found = issues("""
            month,metric,value
            2,"customers
            ",6
            3,churned,x
            """)
        #expect(found.map(\.line) == [2, 4])
        // A quote that is never closed swallows the rest of the file, up to its last line.
        expectOnly("month,metric,value\n1,customers,\"5\n2,customers,6\n", line: 2,
                   message: ["runs on to line 3"], hint: ["missing closing quote"])
    }

    @Test func quoteRunningToTheEndNamesTheLastLineWhateverTheLineEnds() {
        // The file's last line break ends line 3; it does not start a line 4 (with CR LF the
        // parser once said "line 4").
        for end in ["\n", "\r\n", "\r"] {
            let csv = ["month,metric,value", "1,customers,\"5", "2,customers,6", ""].joined(separator: end)
            expectOnly(csv, line: 2, message: ["runs on to line 3"], hint: ["missing closing quote"])
        }
    }

    @Test func commentLinesAndSpacesAroundFields() throws {
        let actuals = try #require(read("""
            # Figures from the books, as of 2027-04.
            month , metric,  value
              # a note between rows
            1, customers[Hybrid] ,1190
            """))
        #expect(actuals.observations == [obs(1, .customers(segment: 0), 1190, line: 4)])
        expectOnly("""
            month,metric,value
            # a note
            1, custmers,5
            """, line: 3, column: 4, message: ["custmers"])
    }

    @Test func textAfterAClosingQuote() {
        expectOnly("""
            month,metric,value
            1,"customers"x,5
            2,customers,6
            """, line: 2, column: 14, message: ["closing double quote", "“x”"], hint: ["two quotes"])
    }

    @Test func quoteNeverClosedAtTheEnd() {
        expectOnly("""
            month,metric,value
            1,customers,"5
            """, line: 2, column: 13, message: ["never closed"])
    }

    // MARK: Several problems

    @Test func everyProblemIsReportedAtOnce() {
        let found = issues("""
            month,metric,segment,value
            1,customers,Hybrid,1190
            99,customers,Hybrid,5

            2,custmers,Loyal,x
            3,adoption,,62
            3,adoption,,0.62
            4,licence_cost,Hybrid,1000
            """)
        #expect(found.map(\.line) == [3, 5, 5, 6, 7, 8])
        #expect(found.allSatisfy { $0.file == fileName })
        expectIssue(found, line: 3, column: 1, message: ["99", "outside"])
        expectIssue(found, line: 5, column: 3, message: ["custmers"], hint: ["customers"])
        expectIssue(found, line: 5, column: 18, message: ["not a number"])
        expectIssue(found, line: 6, message: ["adoption"], hint: ["62%"])
        expectIssue(found, line: 7, message: ["twice", "line 6"])
        expectIssue(found, line: 8, column: 16, message: ["licence_cost", "segment"])
        // Each issue reads as `file:line:column: message hint`.
        #expect(found[0].description.hasPrefix("actuals.csv:3:1: Month 99"))
    }

    @Test func oneBadRowGivesOneIssue() {
        let good = """
            month,metric,segment,value
            0,customers,Hybrid,1200
            0,customers,Loyal,800
            0,cohort_survivors,Hybrid,1200
            1,cohort_survivors,Hybrid,1150
            2,cohort_survivors,Hybrid,1100
            3,cohort_survivors,Hybrid,1050
            1,active_users,,12
            2,adoption,,70%
            """
        #expect(read(good) != nil)
        // A bad value in the middle of a cohort is one issue (no "gap" follows from it).
        expectOnly(good.replacingOccurrences(of: "2,cohort_survivors,Hybrid,1100", with: "2,cohort_survivors,Hybrid,lots"),
                   line: 6, message: ["not a number"])
        expectOnly(good.replacingOccurrences(of: "1,active_users,,12", with: "1,active_users,,12,7"),
                   line: 8, message: ["4 columns"])
    }
}

@Suite("Actuals beyond what the model counts")
struct ActualsLimitTests {
    @Test("A count beyond a billion is an error with its line, not a crash")
    func hugeCount() throws {
        let scenario = try ScenarioLoader.parse(yaml: """
            name: x
            currency: EUR
            licences: { seats: 1, price: 1 }
            adoption: { go_live: 1, ceiling: 50% }
            segments:
              - { name: A, customers: 10, margin: 1, churn: 10% }
            """)
        do {
            _ = try ActualsParser.parse(csv: "month,metric,segment,value\n3,churned,A,99999999999999999999\n", file: "a.csv", scenario: scenario)
            Issue.record("should be rejected")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].line == 2)
            #expect(error.issues[0].message.contains("billion"))
        }
    }
}
