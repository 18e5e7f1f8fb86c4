import ArgumentParser
import ScenarioFormat

extension CRMCase {
    /// `crmcase schema`: the JSON Schema of scenario and variants files, for editors.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of scenario and variants files, for an editor's autocompletion.",
            discussion: """
            The schema is written from the same table of keys, units, ranges and defaults that \
            `crmcase validate` reads, so it always matches this version of crmcase. With it, an editor with \
            a YAML language server (VS Code's YAML extension, Neovim, JetBrains IDEs) completes keys, shows \
            each key's meaning and unit, and marks a misspelt key or an out-of-range number as you type. \
            `crmcase init` writes it beside a new scenario; for other files add the first line \
            `# yaml-language-server: $schema=scenario.schema.json` and save the schema beside them.

            Example:
              crmcase schema > Scenarios/scenario.schema.json
            """)

        func run() throws {
            print(ScenarioKeys.jsonSchema(), terminator: "")
        }
    }
}
