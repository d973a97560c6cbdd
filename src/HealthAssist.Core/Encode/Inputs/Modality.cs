namespace HealthAssist.Encode.Inputs;

/// <summary>
/// The inputs a model can see. The order is the order of the fusion model's <c>present</c> mask and of every tensor
/// list in the manifests; the names are the ones the training scripts and manifests use.
/// </summary>
public enum Modality
{
    Tabular = 0,
    Image = 1,
    HeartSound = 2,
    LungSound = 3,
    Note = 4,
}

public static class Modalities
{
    public static IReadOnlyList<Modality> All { get; } = [Modality.Tabular, Modality.Image, Modality.HeartSound, Modality.LungSound, Modality.Note];

    /// <summary>The short name used in manifests, tensor files and the training scripts.</summary>
    public static string Key(this Modality modality) => modality switch
    {
        Modality.Tabular => "tabular",
        Modality.Image => "image",
        Modality.HeartSound => "heart",
        Modality.LungSound => "lung",
        Modality.Note => "note",
        _ => throw new ArgumentOutOfRangeException(nameof(modality)),
    };

    /// <summary>How results name it for people.</summary>
    public static string Display(this Modality modality) => modality switch
    {
        Modality.Tabular => "record (vital signs, laboratory results, history)",
        Modality.Image => "chest radiograph",
        Modality.HeartSound => "heart sounds",
        Modality.LungSound => "lung sounds",
        Modality.Note => "clinical note",
        _ => throw new ArgumentOutOfRangeException(nameof(modality)),
    };

    public static Modality FromKey(string key) => All.FirstOrDefault(m => m.Key() == key) is var found && found.Key() == key
        ? found
        : throw new ArgumentOutOfRangeException(nameof(key), "unknown modality");
}
