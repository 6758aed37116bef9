extension Registry {
    /// The model file of `name`'s `version`, else of the version `alias` points to, checked against its recorded
    /// checksums (a damaged version throws `RegistryError.damaged`, the culprit named), and its provenance.
    public func verifiedModel(name: String, version: Int?, alias: String) throws(RegistryError)
        -> (path: String, provenance: [String: String])
    {
        let chosen: Int
        if let version { chosen = version } else { chosen = try resolve(name: name, alias: alias).version }
        return (try verifiedModelPath(name: name, version: chosen), try metadata(name: name, version: chosen).provenance)
    }
}
