import Foundation
import Testing

/// What ships under Jobs/ runs as it is: the job files on the tour's own archive, the Kubernetes
/// kustomization rendered by kubectl and valid against the Kubernetes schemas, its serve configuration
/// accepted by `config check` against the models those jobs register.
@Suite(.serialized) struct ShippedJobsCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func tool(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    static func executable(_ candidates: [String], install: String) throws -> String {
        try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "missing: \(install)")
    }

    /// The job files train and register on the tour's archive (20 meters, 14 days), then the cluster's serve
    /// configuration checks out against those models.
    @Test func theShippedJobsTrainOnTheToursArchiveAndTheClusterConfigChecksOut() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sim = try CLIRunner.run([
            "simulate", "--archive", dir.path("archive"), "--stream", "meters", "--series", "20", "--days", "14", "--seed", "3",
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        try FileManager.default.createDirectory(atPath: dir.path("Jobs"), withIntermediateDirectories: true)
        for job in ["meters-if", "meters-forecast"] {
            let file = dir.path("Jobs/\(job).yaml")
            try FileManager.default.copyItem(atPath: Self.root.appendingPathComponent("Jobs/\(job).yaml").path, toPath: file)
            let run = try CLIRunner.run(["train", "--job", file, "--json"])
            #expect(run.status == 0, "\(job): \(run.stdout) \(run.stderr)")
        }
        let cluster = Self.root.appendingPathComponent("Jobs/kubernetes/config/serve.yaml").path
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["config", "check", cluster]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["FOREWARN_REGISTRY": dir.path("Models"), "FOREWARN_ARCHIVE": dir.path("archive")]) { _, new in new }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        let text = try String(contentsOfFile: cluster, encoding: .utf8)
        #expect(text.contains("registry: /data/Models") && text.contains("archive: /data/archive"), "under the data volume")
    }

    @Test func theKustomizationRendersAndEveryManifestIsValid() throws {
        let kubectl = try Self.executable(["/usr/bin/kubectl", "/usr/local/bin/kubectl"], install: "kubectl (Debian's kubernetes-client; make deps)")
        let validate = try Self.executable(
            [Self.root.appendingPathComponent(".build/tools/venv/bin/kubernetes-validate").path], install: "kubernetes-validate (make tools)")
        let rendered = try Self.tool(kubectl, ["kustomize", Self.root.appendingPathComponent("Jobs/kubernetes").path])
        #expect(rendered.status == 0, "\(rendered.output)")
        let dir = try TempDir()
        defer { dir.cleanup() }
        let manifests = try dir.write("rendered.yaml", rendered.output)
        let sharded = Self.root.appendingPathComponent("Jobs/kubernetes/train-sharded-job.yaml").path
        let valid = try Self.tool(validate, ["--strict", "--quiet", manifests, sharded])
        #expect(valid.status == 0, "\(valid.output)")
        // The validator refuses what is wrong: the same manifests with a field of the wrong type.
        let broken = try dir.write("broken.yaml", rendered.output.replacingOccurrences(of: "replicas: 3", with: "replicas: three"))
        #expect(try Self.tool(validate, ["--strict", "--quiet", broken]).status != 0)

        let text = rendered.output
        for kind in ["kind: ConfigMap", "kind: PersistentVolumeClaim", "kind: Deployment", "kind: CronJob"] {
            #expect(text.contains(kind), "\(kind) missing")
        }
        #expect(text.contains("ReadWriteMany"), "replicas and training pods share the claim")
        #expect(text.components(separatedBy: "readOnlyRootFilesystem: true").count - 1 == 3, "each container: scorer and two trainers")
        #expect(text.components(separatedBy: "runAsNonRoot: true").count - 1 == 3)
        #expect(text.components(separatedBy: "limits:").count - 1 == 3)
        #expect(text.contains("/config/meters-if.job.yaml") && text.contains("/config/meters-forecast.job.yaml"), "the CronJobs run the job files")
        #expect(!text.contains("--promote"), "the schedules promote through the gates of the job files")
        for file in ["serve.yaml", "meters.yaml", "meters-if.job.yaml", "meters-forecast.job.yaml"] {
            #expect(text.contains("\(file): "), "the ConfigMap holds \(file)")
        }
    }

    /// The alert rules parse and fire when they should: promtool (Debian's prometheus package) checks them
    /// and runs their unit tests (Jobs/monitoring/alerts.test.yaml).
    @Test func promtoolChecksAndTestsTheAlertRules() throws {
        let promtool = try Self.executable(["/usr/bin/promtool", "/usr/local/bin/promtool"], install: "promtool (Debian's prometheus; make deps)")
        let check = try Self.tool(promtool, ["check", "rules", Self.root.appendingPathComponent("Jobs/monitoring/alerts.yaml").path])
        #expect(check.status == 0 && check.output.contains("SUCCESS"), "\(check.output)")
        let test = try Self.tool(promtool, ["test", "rules", Self.root.appendingPathComponent("Jobs/monitoring/alerts.test.yaml").path])
        #expect(test.status == 0 && test.output.contains("SUCCESS"), "\(test.output)")
    }

    /// The units and the crontab run the job files, so their versions pass the promotion gates.
    @Test func schedulesTrainThroughTheJobFiles() throws {
        for file in ["Jobs/crontab", "Jobs/systemd/forewarn-train@.service", "Jobs/kubernetes/train-sharded-job.yaml"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("train --job"), "\(file)")
            #expect(!text.contains("--promote"), "\(file) promotes past the gates")
        }
        let unit = try String(contentsOf: Self.root.appendingPathComponent("Jobs/systemd/forewarn-train@.service"), encoding: .utf8)
        #expect(unit.contains("Jobs/%i.yaml") && unit.contains("SuccessExitStatus=6"))
    }
}
