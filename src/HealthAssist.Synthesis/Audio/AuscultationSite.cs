namespace HealthAssist.Synthesis.Audio;

/// <summary>The classic cardiac auscultation areas, recognised from free-text or coded body sites.</summary>
internal enum CardiacArea
{
    Unknown,

    /// <summary>Right second intercostal space, upper right sternal border.</summary>
    Aortic,

    /// <summary>Left second intercostal space.</summary>
    Pulmonic,

    /// <summary>Left lower sternal border.</summary>
    Tricuspid,

    /// <summary>Apex, fifth intercostal space, midclavicular line.</summary>
    Mitral,
}

/// <summary>
/// How loud each heart sound is at each auscultation area, relative to where it is best heard. The values follow the
/// teaching of bedside cardiology: S1 loudest at the apex, S2 at the base; the ejection murmur of aortic stenosis
/// loudest at the aortic area and softer towards the apex (where it can still be heard: the Gallavardin phenomenon);
/// the S3 gallop best at the apex with the bell.
/// </summary>
internal static class AuscultationSite
{
    public static CardiacArea Classify(string bodySite)
    {
        var site = bodySite.ToUpperInvariant();
        if (site.Contains("AORT", StringComparison.Ordinal) || site.Contains("RIGHT UPPER STERNAL", StringComparison.Ordinal) || site.Contains("RUSB", StringComparison.Ordinal))
        {
            return CardiacArea.Aortic;
        }

        if (site.Contains("PULM", StringComparison.Ordinal) || site.Contains("LEFT UPPER STERNAL", StringComparison.Ordinal) || site.Contains("LUSB", StringComparison.Ordinal))
        {
            return CardiacArea.Pulmonic;
        }

        if (site.Contains("TRICUSP", StringComparison.Ordinal) || site.Contains("LOWER STERNAL", StringComparison.Ordinal) || site.Contains("LLSB", StringComparison.Ordinal))
        {
            return CardiacArea.Tricuspid;
        }

        if (site.Contains("MITRAL", StringComparison.Ordinal) || site.Contains("APEX", StringComparison.Ordinal) || site.Contains("APICAL", StringComparison.Ordinal))
        {
            return CardiacArea.Mitral;
        }

        return CardiacArea.Unknown;
    }

    public static double S2Gain(CardiacArea area) => area switch
    {
        CardiacArea.Aortic or CardiacArea.Pulmonic => 1.0,
        CardiacArea.Unknown => 0.9,
        _ => 0.75,
    };

    public static double MurmurGain(CardiacArea area) => area switch
    {
        CardiacArea.Aortic => 1.0,
        CardiacArea.Pulmonic => 0.75,
        CardiacArea.Tricuspid => 0.55,
        CardiacArea.Mitral => 0.45,
        _ => 0.7,
    };

    public static double GallopGain(CardiacArea area) => area switch
    {
        CardiacArea.Mitral => 1.0,
        CardiacArea.Tricuspid => 0.75,
        CardiacArea.Pulmonic => 0.45,
        CardiacArea.Aortic => 0.4,
        _ => 0.6,
    };
}
