import Testing

@Suite struct VersionCLITests {
    @Test func jsonNamesEveryNativeLibraryWithItsVersion() throws {
        let r = try CLIRunner.run(["version", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = jsonObject(r.stdout)
        for name in ["forewarn", "hdf5", "librdkafka", "openblas", "zlib", "libdeflate"] {
            let version = json[name] as? String ?? ""
            #expect(version.contains { $0.isNumber }, "\(name): '\(version)'")
        }
    }
}
