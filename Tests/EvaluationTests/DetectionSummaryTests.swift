import Evaluation
import Testing

@Suite struct DetectionSummaryTests {
    static func file(_ set: String, _ name: String, vus: [String: Double?]) -> FileResult {
        var r = FileResult(set: set, name: name)
        for (detector, value) in vus.sorted(by: { $0.key < $1.key }) {
            var d = DetectorResult(detector: detector, isForewarn: detector == "f", failure: value == nil ? "refused" : nil)
            if let value { d.metrics = ["VUS-PR": value, "AUC-PR": value / 2] }
            d.flags = FlagMetrics(flags: [true, false], labels: [true, true])
            r.detectors.append(d)
        }
        return r
    }

    @Test func aFailureCountsZeroAndSetsWeighTheSame() {
        var unreadable = FileResult(set: "a", name: "bad")
        unreadable.failure = "malformed"
        let results = [
            Self.file("a", "1", vus: ["f": 0.8, "r": 0.4]), Self.file("a", "2", vus: ["f": nil, "r": 0.2]), unreadable,
            Self.file("b", "1", vus: ["f": 0.3, "r": 0.6]),
        ]
        let rows = DetectionSummary(results).rows
        let aF = rows.first { $0.scope == "a" && $0.detector == "f" }!
        #expect(aF.files == 2 && aF.failures == 1 && abs(aF.vusPR - 0.4) < 1e-12 && abs(aF.aucPR - 0.2) < 1e-12)
        #expect(abs(aF.pointRecall - 0.25) < 1e-12)  // 0.5 on the file it ran, 0 on the failure
        let meanF = rows.first { $0.scope == DetectionSummary.overall && $0.detector == "f" }!
        #expect(abs(meanF.vusPR - (0.4 + 0.3) / 2) < 1e-12 && meanF.files == 3 && meanF.failures == 1)
        let meanR = rows.first { $0.scope == DetectionSummary.overall && $0.detector == "r" }!
        #expect(abs(meanR.vusPR - (0.3 + 0.6) / 2) < 1e-12)
    }
}
