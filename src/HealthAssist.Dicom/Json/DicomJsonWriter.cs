using System.Globalization;
using System.Text.Json;

namespace HealthAssist.Dicom.Json;

/// <summary>
/// The DICOM JSON model (PS3.18 F.2): one object per element keyed by the tag's eight hex digits, with "vr" and
/// "Value" (strings, numbers, person-name objects, nested datasets) or "InlineBinary" (base64) for byte values.
/// Empty values carry no "Value" (F.2.5); empty components of a multi-valued element are null; group lengths are
/// omitted (F.2.2); binary values are little endian whatever the source byte order.
/// </summary>
public static class DicomJsonWriter
{
    public static string Serialize(DicomDataset dataset, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, dataset);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        writer.WriteStartObject();
        foreach (var element in dataset.Where(e => e.Tag.Element != 0x0000)) // F.2.2: group lengths are not included
        {
            writer.WritePropertyName(element.Tag.ToJsonKey());
            WriteElement(writer, element, dataset);
        }

        writer.WriteEndObject();
    }

    private static void WriteElement(Utf8JsonWriter writer, DicomElement element, DicomDataset dataset)
    {
        writer.WriteStartObject();
        writer.WriteString("vr", element.VR.Code);
        switch (element)
        {
            case DicomSequence sequence:
                if (sequence.Items.Count > 0)
                {
                    writer.WriteStartArray("Value");
                    foreach (var item in sequence.Items)
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                }

                break;
            case DicomFragmentSequence fragments:
                writer.WriteBase64String("InlineBinary", fragments.ToEncapsulatedBytes());
                break;
            case DicomValueElement value when value.IsEmpty:
                break;
            case DicomValueElement value when value.VR == DicomVR.PN:
                WritePersonNames(writer, value.GetStrings(dataset.CharacterSet));
                break;
            case DicomValueElement value when value.VR == DicomVR.AT:
                writer.WriteStartArray("Value");
                foreach (var tag in value.GetTags())
                {
                    writer.WriteStringValue(tag.ToJsonKey());
                }

                writer.WriteEndArray();
                break;
            case DicomValueElement value when value.VR == DicomVR.IS || value.VR == DicomVR.DS:
                WriteNumberStrings(writer, value.GetStrings(dataset.CharacterSet), value.VR == DicomVR.IS);
                break;
            case DicomValueElement value when value.VR.Kind == VRKind.Text:
                WriteStrings(writer, value.GetStrings(dataset.CharacterSet));
                break;
            case DicomValueElement value when value.VR.Kind == VRKind.Binary && !value.VR.HasLongExplicitLength || value.VR == DicomVR.SV || value.VR == DicomVR.UV:
                WriteNumbers(writer, value);
                break;
            case DicomValueElement value:
                writer.WriteBase64String("InlineBinary", value.Data.Span);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, IReadOnlyList<string> values)
    {
        if (values.All(string.IsNullOrEmpty))
        {
            return;
        }

        writer.WriteStartArray("Value");
        foreach (var value in values)
        {
            if (value.Length == 0)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteNumberStrings(Utf8JsonWriter writer, IReadOnlyList<string> values, bool integer)
    {
        if (values.All(v => v.Trim().Length == 0))
        {
            return;
        }

        writer.WriteStartArray("Value");
        foreach (var raw in values.Select(v => v.Trim()))
        {
            if (raw.Length == 0)
            {
                writer.WriteNullValue();
            }
            else if (integer && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
            {
                writer.WriteNumberValue(whole);
            }
            else if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteStringValue(raw); // not a valid number: kept as text rather than lost
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter writer, DicomValueElement value)
    {
        writer.WriteStartArray("Value");
        foreach (var number in value.GetNumbers())
        {
            if (double.IsFinite(number))
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
            }
        }

        writer.WriteEndArray();
    }

    private static void WritePersonNames(Utf8JsonWriter writer, IReadOnlyList<string> names)
    {
        if (names.All(string.IsNullOrEmpty))
        {
            return;
        }

        writer.WriteStartArray("Value");
        foreach (var name in names)
        {
            writer.WriteStartObject();
            var groups = name.Split('=');
            string[] keys = ["Alphabetic", "Ideographic", "Phonetic"];
            for (var i = 0; i < Math.Min(groups.Length, keys.Length); i++)
            {
                if (groups[i].Length > 0)
                {
                    writer.WriteString(keys[i], groups[i]);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
