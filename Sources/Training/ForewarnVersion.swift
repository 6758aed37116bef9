/// This build's version, recorded in every model it trains.
public enum ForewarnVersion {
    public static let string = "0.1.0"
}
