import Foundation
import MonteCarlo
import ScenarioFormat
import UseCases

extension WorkshopSession {
    /// "Save as variant": appends the request's changes, under its name, to the workshop's
    /// variants file beside the scenario (``VariantsFile``), after checking that they load.
    public func saveVariant(_ request: WorkshopRequest) async -> WorkshopFileResponse {
        // One save at a time: the check for the name and the append are one step.
        await withCheckedContinuation { continuation in
            files.async { continuation.resume(returning: self.saveVariantNow(request)) }
        }
    }

    func saveVariantNow(_ request: WorkshopRequest) -> WorkshopFileResponse {
        let changes = request.overrides(controls, variants: variants)
        let file = VariantsFile(scenarioFile: scenarioFile)
        let name = (request.name ?? "").trimmingCharacters(in: .whitespaces)
        if let problem = file.problem(saving: name, changes: changes) {
            return WorkshopFileResponse(ok: false, message: problem)
        }
        do {
            _ = try ScenarioLoader.load(path: scenarioFile, overrides: changes)
        } catch {
            let first = problems(.inputProblems(error, validate: nil), changes: changes).first
            return WorkshopFileResponse(ok: false, message: "Not saved: " + (first?.message ?? "the settings have problems."))
        }
        do {
            try file.append(name: name, changes: changes)
        } catch {
            return WorkshopFileResponse(ok: false, message: "\(file.path) could not be written (\(error)).")
        }
        return WorkshopFileResponse(ok: true, message: "Saved “\(name)” in \(file.path); `crmcase compare \(file.path)` runs it beside the scenario.",
                                    path: file.path)
    }

    /// "Write report": the full report folder of the request's settings, as `crmcase run` with
    /// the same `--set` values, seed and trials writes it (`Reports/<name>-what-if-…`).
    public func writeReport(_ request: WorkshopRequest) async -> WorkshopFileResponse {
        let changes = request.overrides(controls, variants: variants)
        guard trialChoices.contains(request.trials) else {
            return WorkshopFileResponse(ok: false, message: "The number of trials must be one of the page's choices.")
        }
        return await withCheckedContinuation { continuation in
            files.async {   // one writer at a time: a report folder is staged and renamed
                continuation.resume(returning: self.writeReportNow(changes: changes, trials: request.trials))
            }
        }
    }

    private func writeReportNow(changes: [Override], trials: Int) -> WorkshopFileResponse {
        let loaded: LoadedScenario
        do {
            loaded = try ScenarioLoading.load(scenarioFile, overrides: changes)
        } catch {
            let first = problems(error, changes: changes).first
            return WorkshopFileResponse(ok: false, message: "No report: " + (first?.message ?? "the settings have problems."))
        }
        let files = BusinessCaseRun.files(for: loaded, scenarioFile: scenarioFile,
                                          options: Engine.Options(trials: trials, seed: seed, threads: threads),
                                          sampler: sampler)
        let folder = BusinessCaseRun.defaultFolder(loaded)
        do {
            try ReportFolder.writeReport(files, to: folder, inputs: [scenarioFile])
        } catch {
            return WorkshopFileResponse(ok: false, message: error.description)
        }
        return WorkshopFileResponse(ok: true, message: "Wrote \(folder)/report.html.", path: folder)
    }
}
