import ArgumentParser
import Foundation
import ScenarioFormat
import UseCases

extension ScenarioTemplate.Kind: ExpressibleByArgument {}

extension CRMCase {
    /// `crmcase init`: writes a commented starting scenario that validates and runs as it is.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a starting scenario for a new case, every assumption marked to replace.",
            usage: """
              crmcase init acme.yaml --kind b2b --seats 45 --price 690 --currency DKK
              crmcase init shop.yaml --kind retail --segment "Club members=8000" --segment "Walk-ins=30000"
              crmcase init                      # asks, then writes crm-case.yaml
            """,
            discussion: """
            Asks a few questions when standard input is a terminal and a flag is missing; with the flags, or \
            from a script, it asks nothing. The file validates and runs as written, so you can see a first \
            report at once, then replace the lines marked REPLACE. It never overwrites a file.
            """)

        @Argument(help: "The scenario file to write.")
        var file: String = "crm-case.yaml"

        @Option(help: ArgumentHelp("The kind of business: b2b (accounts), retail (repeat customers) or subscription.",
                                   valueName: "kind"))
        var kind: ScenarioTemplate.Kind?

        @Option(help: "Licensed seats.")
        var seats: Int?

        @Option(help: "Licence price per seat per month, in the currency.")
        var price: Double?

        @Option(help: "Currency of every amount (ISO code, e.g. DKK, NOK, EUR).")
        var currency: String?

        @Option(help: "The case's title.")
        var name: String?

        @Option(name: .customLong("segment"), help: ArgumentHelp(
            "A customer segment and its customers today, NAME=CUSTOMERS (repeat for each segment); default: the kind's segments.",
            valueName: "name=customers"))
        var segments: [String] = []

        func validate() throws {
            if let seats, !(1...100_000).contains(seats) { throw ValidationError("--seats must be between 1 and 100,000.") }
            if let price, !(price >= 0 && price <= 1_000_000) {
                throw ValidationError("--price must be between 0 and 1,000,000 (per seat per month).")
            }
            if let currency, currency.range(of: #"^[A-Za-z]{3}$"#, options: .regularExpression) == nil {
                throw ValidationError("--currency \(currency): give a three-letter code such as DKK, NOK or EUR.")
            }
            if let name, name.contains(where: \.isNewline) { throw ValidationError("--name must fit on one line.") }
            if case .failure(let problem) = ScenarioTemplate.segments(segments) { throw ValidationError(problem.description) }
        }

        func run() throws {
            guard !FileManager.default.fileExists(atPath: file) else {
                throw CaseFailure.unusableInput("\(file) already exists; crmcase init never overwrites a file. Give another name.")
            }
            let ask = isatty(STDIN_FILENO) != 0
            let kind = self.kind ?? (ask ? Self.askKind() : .b2b)
            let currency = self.currency ?? (ask ? Self.ask("Currency (ISO code)", default: "DKK") : "DKK")
            let seats = self.seats ?? (ask ? Int(Self.ask("Licensed seats", default: "")) : nil)
            let price = self.price ?? (ask ? Double(Self.ask("Licence price per seat per month", default: "")) : nil)
            let own = try segments.isEmpty && ask ? Self.askSegments() : ScenarioTemplate.segments(segments).get()
            let template = ScenarioTemplate(kind: kind, name: name, currency: currency, seats: seats, price: price,
                                            segments: own.isEmpty ? nil : own)
            do {
                try AtomicFile.write(template.yaml, to: file)
            } catch {
                throw CaseFailure.cannotWrite(error)
            }
            print("Wrote \(file): a starting scenario for \(kind.words). Replace the lines marked REPLACE, then:")
            print("  crmcase validate \(file)")
            print("  crmcase run \(file)")
            print(Self.writeSchema(beside: file))
        }

        /// Writes the JSON Schema beside the new scenario (its first line points the editor at it)
        /// and says what it did: a schema file crmcase wrote before is brought up to date, any other
        /// file of that name is left alone.
        static func writeSchema(beside file: String) -> String {
            let folder = (file as NSString).deletingLastPathComponent
            let path = folder.isEmpty ? ScenarioKeys.schemaFileName : "\(folder)/\(ScenarioKeys.schemaFileName)"
            let schema = ScenarioKeys.jsonSchema()
            if let old = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) {
                if old == schema { return "  (\(path), beside it, lets an editor complete keys and mark typos as you type)" }
                guard old.contains(ScenarioKeys.schemaTitle) else {
                    return "  (\(path) exists and is not crmcase's schema, so it was left alone; `crmcase schema` prints crmcase's)"
                }
            }
            do {
                try AtomicFile.write(schema, to: path)
                return "  (also wrote \(path): with it an editor completes keys and marks typos as you type)"
            } catch {
                return "  (\(path) could not be written: \(error); `crmcase schema > \(path)` writes it)"
            }
        }

        static func ask(_ question: String, default value: String) -> String {
            print(value.isEmpty ? "\(question) (Enter for the template's): " : "\(question) [\(value)]: ", terminator: "")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
            return answer.isEmpty ? value : answer
        }

        /// The client's segments, asked for as `name=customers, …`; none for the template's.
        static func askSegments() -> [(name: String, customers: Int)] {
            while true {
                let answer = ask("Customer segments as name=customers, separated by commas (Enter for the template's)", default: "")
                if answer.isEmpty { return [] }
                switch ScenarioTemplate.segments(answer.split(separator: ",").map(String.init)) {
                case .success(let segments): return segments
                case .failure(let problem): print(problem.description.replacingOccurrences(of: "--segment", with: "Segment"))
                }
            }
        }

        static func askKind() -> ScenarioTemplate.Kind {
            while true {
                let answer = ask("Kind of business: b2b, retail or subscription", default: "b2b").lowercased()
                if let kind = ScenarioTemplate.Kind(rawValue: answer) { return kind }
                print("Please answer b2b, retail or subscription.")
            }
        }
    }
}
