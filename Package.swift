// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Forewarn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "forewarn", targets: ["forewarn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
    ],
    targets: [
        // Native libraries, found through pkg-config; the providers name the Debian packages.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Whole-buffer inflate for archive chunks (HDF5's deflate filter writes zlib streams of known size).
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),

        // Durations, FNV-1a, Duration in seconds: one of each, for every module (no dependency).
        .target(name: "Basics"),
        // Configuration files: YAML nodes with file, line and key path; one error format.
        .target(name: "ConfigFiles", dependencies: ["Basics", .product(name: "Yams", package: "Yams")]),
        .target(name: "DurableFiles"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CLAPACKE"]),
        .target(name: "HDF5Kit", dependencies: ["CHDF5", "CDeflate", "CZlib"]),
        // The isolation forest's AVX-512 scoring walk (C, for the permute intrinsics Swift cannot reach).
        .target(name: "CForestKernel"),
        .target(name: "AnomalyModels", dependencies: ["LinearAlgebra", "HDF5Kit", "DurableFiles", "CForestKernel", "Basics"]),
        // What a model kind is (name, parameters, fit, load, serve, backtest), and the table of kinds.
        .target(name: "ModelKinds", dependencies: ["AnomalyModels", "EventArchive", "DurableFiles", "Basics"]),
        .target(name: "ModelRegistry", dependencies: ["ModelKinds", "AnomalyModels", "DurableFiles"]),
        .target(name: "Kafka", dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")]),
        .target(name: "EventArchive", dependencies: ["HDF5Kit", "CDeflate", "DurableFiles", "Basics", "ConfigFiles"]),
        .target(
            name: "CQL",
            dependencies: [
                "Basics", "ConfigFiles",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "CQLTestNode",
            dependencies: [
                "CQL", "Basics",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The batch trainer: windows of the archive, fits, backtests, gates, reports, sharded runs.
        .target(
            name: "Training",
            dependencies: [
                "EventArchive", "ModelKinds", "AnomalyModels", "ModelRegistry", "DurableFiles", "Basics", "ConfigFiles",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Scoring",
            dependencies: [
                "EventArchive", "ModelKinds", "AnomalyModels", "ModelRegistry", "Kafka", "CQL", "DurableFiles", "Basics", "ConfigFiles",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The detection benchmark: labelled sets, splits, kinds trained and scored as in production, flag
        // precision and recall, and the child Python that computes TSB-AD's metrics and the reference detectors.
        .target(name: "Evaluation", dependencies: ["ModelKinds", "Scoring", "EventArchive", "AnomalyModels", "Basics"]),
        .executableTarget(
            name: "forewarn",
            dependencies: [
                "EventArchive", "ModelKinds", "AnomalyModels", "ModelRegistry", "Training", "Scoring", "Evaluation", "Kafka", "CQL", "CQLTestNode",
                "LinearAlgebra", "HDF5Kit", "DurableFiles", "Basics", "ConfigFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
        .testTarget(name: "ConfigFilesTests", dependencies: ["ConfigFiles", "Basics"]),
        .testTarget(name: "EventArchiveTests", dependencies: ["EventArchive", "HDF5Kit", "ConfigFiles"]),
        .testTarget(name: "HDF5KitTests", dependencies: ["HDF5Kit", "CHDF5", "CZlib"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "AnomalyModelsTests", dependencies: ["AnomalyModels", "EventArchive"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "ModelKinds", "ModelRegistry", "AnomalyModels", "EventArchive", "Scoring", "Kafka"]
        ),
        .testTarget(name: "ModelRegistryTests", dependencies: ["ModelRegistry", "AnomalyModels", "HDF5Kit"]),
        .testTarget(
            name: "ScoringTests",
            dependencies: [
                "Scoring", "ModelKinds", "Training", "Kafka", "ModelRegistry", "AnomalyModels", "EventArchive", "CQL", "CQLTestNode", "HDF5Kit",
                "ConfigFiles",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ForewarnCLITests", dependencies: ["forewarn", "ModelRegistry", "AnomalyModels", "Kafka", "CQL", "CQLTestNode"]),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "ModelKinds", "EventArchive"]),
        .testTarget(
            name: "CQLTests",
            dependencies: ["CQL", "CQLTestNode", "ConfigFiles", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
