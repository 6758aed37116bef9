/// Area under the ROC curve of `scores` (higher = more anomalous) against
/// `labels`, by the rank-sum (Mann–Whitney) formula with ties given half credit.
/// Nil when either class is absent.
public func rocAUC(scores: [Double], labels: [Bool]) -> Double? {
    precondition(scores.count == labels.count, "scores and labels differ in length")
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSumPositive = 0.0
    var positives = 0
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let averageRank = Double(i + j) / 2 + 1
        for k in i...j where labels[order[k]] { rankSumPositive += averageRank; positives += 1 }
        i = j + 1
    }
    let negatives = scores.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    let p = Double(positives)
    return (rankSumPositive - p * (p + 1) / 2) / (p * Double(negatives))
}
