import Evaluation
import Foundation
import Testing

@Suite struct DetectionSetTests {
    @Test func findsSplitsAndLeadingParts() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let values = (0..<10).map(Double.init)
        let labels = (0..<10).map { $0 == 8 }
        try folder.write("toy/a_train.csv", TestFolder.csv(values))
        try folder.write("toy/a_test.csv", TestFolder.csv(values, labels: labels))
        try folder.write("toy/b.csv", TestFolder.csv(values, labels: labels))
        try folder.write("toy/unlabelled.csv", TestFolder.csv(values))
        try folder.write("toy/orphan_test.csv", TestFolder.csv(values, labels: labels))
        let set = try DetectionSet.discover(root: folder.path, name: "toy")
        #expect(set.files.map(\.name) == ["a", "b"])
        #expect(set.files[0].split == .trainFile("\(folder.path)/toy/a_train.csv"))
        #expect(set.files[1].split == .leadingShare(0.2))
        let a = try set.files[0].load(), b = try set.files[1].load()
        #expect(a.train.count == 10 && a.test.count == 10 && a.train.labels == nil)
        #expect(b.train.count == 2 && b.test.count == 8 && b.test.time.first == a.test.time[2] && b.labels[6])
    }

    @Test func skabTrainsOnItsFirst400Rows() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let values = (0..<500).map(Double.init)
        try folder.write("skab/run.csv", TestFolder.csv(values, labels: values.map { $0 >= 450 }))
        let c = try DetectionSet.discover(root: folder.path, name: "skab").files[0].load()
        #expect(c.split == .leadingRows(400) && c.train.count == 400 && c.test.count == 100)
    }

    @Test func aScoredPartWithoutAnomaliesCannotBeEvaluated() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let values = (0..<10).map(Double.init)
        try folder.write("toy/early.csv", TestFolder.csv(values, labels: values.map { $0 == 0 }))
        let file = try DetectionSet.discover(root: folder.path, name: "toy").files[0]
        #expect(throws: DetectionDataError.self) { try file.load() }
        #expect(throws: DetectionDataError.self) { try DetectionSet.discover(root: folder.path, name: "missing") }
    }
}
