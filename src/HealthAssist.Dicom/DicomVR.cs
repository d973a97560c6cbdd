namespace HealthAssist.Dicom;

/// <summary>What kind of bytes a value holds (PS3.5 6.2).</summary>
public enum VRKind
{
    /// <summary>Text in the default repertoire or the dataset's character set.</summary>
    Text,

    /// <summary>Fixed-size binary numbers (US, SS, UL, SL, UV, SV, FL, FD, AT) or other-words (OB, OW, OF, OD, OL, OV).</summary>
    Binary,

    Sequence,

    /// <summary>UN: bytes of unknown meaning.</summary>
    Unknown,
}

/// <summary>A value representation (PS3.5 table 6.2-1).</summary>
public sealed class DicomVR
{
    private static readonly Dictionary<string, DicomVR> ByCode = new(StringComparer.Ordinal);

    public static readonly DicomVR AE = new("AE", VRKind.Text, false, 16, ' ', 0);
    public static readonly DicomVR AS = new("AS", VRKind.Text, false, 4, ' ', 0);
    public static readonly DicomVR AT = new("AT", VRKind.Binary, false, 4, '\0', 4);
    public static readonly DicomVR CS = new("CS", VRKind.Text, false, 16, ' ', 0);
    public static readonly DicomVR DA = new("DA", VRKind.Text, false, 8, ' ', 0);
    public static readonly DicomVR DS = new("DS", VRKind.Text, false, 16, ' ', 0);
    public static readonly DicomVR DT = new("DT", VRKind.Text, false, 26, ' ', 0);
    public static readonly DicomVR FL = new("FL", VRKind.Binary, false, 4, '\0', 4);
    public static readonly DicomVR FD = new("FD", VRKind.Binary, false, 8, '\0', 8);
    public static readonly DicomVR IS = new("IS", VRKind.Text, false, 12, ' ', 0);
    public static readonly DicomVR LO = new("LO", VRKind.Text, false, 64, ' ', 0);
    public static readonly DicomVR LT = new("LT", VRKind.Text, false, 10240, ' ', 0);
    public static readonly DicomVR OB = new("OB", VRKind.Binary, true, 0, '\0', 1);
    public static readonly DicomVR OD = new("OD", VRKind.Binary, true, 0, '\0', 8);
    public static readonly DicomVR OF = new("OF", VRKind.Binary, true, 0, '\0', 4);
    public static readonly DicomVR OL = new("OL", VRKind.Binary, true, 0, '\0', 4);
    public static readonly DicomVR OV = new("OV", VRKind.Binary, true, 0, '\0', 8);
    public static readonly DicomVR OW = new("OW", VRKind.Binary, true, 0, '\0', 2);
    public static readonly DicomVR PN = new("PN", VRKind.Text, false, 64, ' ', 0);
    public static readonly DicomVR SH = new("SH", VRKind.Text, false, 16, ' ', 0);
    public static readonly DicomVR SL = new("SL", VRKind.Binary, false, 4, '\0', 4);
    public static readonly DicomVR SQ = new("SQ", VRKind.Sequence, true, 0, '\0', 0);
    public static readonly DicomVR SS = new("SS", VRKind.Binary, false, 2, '\0', 2);
    public static readonly DicomVR ST = new("ST", VRKind.Text, false, 1024, ' ', 0);
    public static readonly DicomVR SV = new("SV", VRKind.Binary, true, 8, '\0', 8);
    public static readonly DicomVR TM = new("TM", VRKind.Text, false, 14, ' ', 0);
    public static readonly DicomVR UC = new("UC", VRKind.Text, true, 0, ' ', 0);
    public static readonly DicomVR UI = new("UI", VRKind.Text, false, 64, '\0', 0);
    public static readonly DicomVR UL = new("UL", VRKind.Binary, false, 4, '\0', 4);
    public static readonly DicomVR UN = new("UN", VRKind.Unknown, true, 0, '\0', 1);
    public static readonly DicomVR UR = new("UR", VRKind.Text, true, 0, ' ', 0);
    public static readonly DicomVR US = new("US", VRKind.Binary, false, 2, '\0', 2);
    public static readonly DicomVR UT = new("UT", VRKind.Text, true, 0, ' ', 0);
    public static readonly DicomVR UV = new("UV", VRKind.Binary, true, 8, '\0', 8);

    private DicomVR(string code, VRKind kind, bool hasLongLength, int maximumLength, char padding, int unitSize)
    {
        Code = code;
        Kind = kind;
        HasLongExplicitLength = hasLongLength;
        MaximumLength = maximumLength;
        Padding = (byte)padding;
        UnitSize = unitSize;
        ByCode[code] = this;
    }

    public string Code { get; }

    public VRKind Kind { get; }

    /// <summary>In explicit VR encodings: 2 reserved bytes and a 32-bit length follow the VR (else a 16-bit length).</summary>
    public bool HasLongExplicitLength { get; }

    /// <summary>Maximum value length in bytes (characters for text) per value, 0 when unbounded by the VR.</summary>
    public int MaximumLength { get; }

    /// <summary>The byte that pads a value to even length: space for text, NUL for UI and binary.</summary>
    public byte Padding { get; }

    /// <summary>Size of one binary number (byte order swaps work on units of this size); 0 for text and sequences.</summary>
    public int UnitSize { get; }

    /// <summary>Text VRs whose value is a single string in which backslash is not a delimiter.</summary>
    public bool IsSingleValuedText => this == LT || this == ST || this == UT || this == UR;

    public static bool TryParse(ReadOnlySpan<byte> twoBytes, out DicomVR vr)
    {
        vr = null!;
        if (twoBytes.Length < 2 || twoBytes[0] is < (byte)'A' or > (byte)'Z' || twoBytes[1] is < (byte)'A' or > (byte)'Z')
        {
            return false;
        }

        return ByCode.TryGetValue(string.Create(2, (twoBytes[0], twoBytes[1]), (s, b) => { s[0] = (char)b.Item1; s[1] = (char)b.Item2; }), out vr!);
    }

    public static bool TryParse(string code, out DicomVR vr) => ByCode.TryGetValue(code, out vr!);

    public static DicomVR Parse(string code) => ByCode.TryGetValue(code, out var vr) ? vr : throw new ArgumentException($"Unknown VR '{code}'.", nameof(code));

    public override string ToString() => Code;
}
