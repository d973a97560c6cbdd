using System.Buffers.Binary;
using System.Globalization;
using HealthAssist.Dicom;

namespace HealthAssist.Synthesis.Imaging;

/// <summary>The header: modules of the CR or DX For Presentation IOD, VOI per style, a private block, PHI recorded.</summary>
internal static class RadiographHeader
{
    public static DatasetBuilder Build(RadiographRequest request, Exposure exposure, int maxStored, bool burnedIn, RadiographRandom random)
    {
        var identity = request.Identity;
        var style = request.Style;
        var dx = style.Modality == "DX";
        var identityText = new[] { identity.PatientName, identity.PatientId, identity.AccessionNumber, identity.InstitutionName, identity.ReferringPhysician, identity.OperatorName };
        var latin1 = identityText.All(t => t.All(c => c <= '\u00FF'));
        var characterSet = latin1 && !random.Chance(0.25) ? "ISO_IR 100" : "ISO_IR 192";
        var b = new DatasetBuilder(characterSet);

        foreach (var (uid, name) in new[] { (identity.StudyInstanceUid, "StudyInstanceUID"), (identity.SeriesInstanceUid, "SeriesInstanceUID"), (identity.SopInstanceUid, "SOPInstanceUID") })
        {
            if (!IsValidUid(uid))
            {
                throw new ArgumentException($"{name} '{uid}' is not a valid UID (digits and dots, at most 64 characters).", nameof(request));
            }
        }

        // Times: the study is registered a little before the exposure, the instance is created a little after.
        var acquired = identity.AcquiredAt;
        var studyAt = acquired.AddSeconds(-random.Uniform(60, 1200));
        var contentAt = acquired.AddSeconds(random.Uniform(1, 8));
        var createdAt = acquired.AddSeconds(random.Uniform(20, 240));

        // SOP Common
        b.Text("ImageType", "ORIGINAL\\PRIMARY");
        b.Identifier("InstanceCreationDate", "date", Date(createdAt));
        b.Text("InstanceCreationTime", Time(createdAt));
        b.Text("SOPClassUID", dx ? RadiographSynthesizer.DXImageStorageForPresentation : RadiographSynthesizer.CRImageStorage);
        b.Identifier("SOPInstanceUID", "uid", identity.SopInstanceUid);
        b.Text("TimezoneOffsetFromUTC", Offset(acquired.Offset));

        // Patient
        b.Identifier("PatientName", "name", identity.PatientName);
        b.Identifier("PatientID", "mrn", identity.PatientId);
        b.Identifier("PatientBirthDate", "date", BirthDate(identity.BirthDate));
        b.Text("PatientSex", RadiographSynthesizer.NormalizeSex(identity.Sex));

        // General Study
        b.Identifier("StudyInstanceUID", "uid", identity.StudyInstanceUid);
        b.Identifier("StudyDate", "date", Date(studyAt));
        b.Text("StudyTime", Time(studyAt));
        b.Identifier("ReferringPhysicianName", "physician", identity.ReferringPhysician);
        var accession = b.Identifier("AccessionNumber", "accession", identity.AccessionNumber);
        b.Identifier("StudyID", "accession", accession); // many RIS use the accession number as the study ID
        b.Text("StudyDescription", "XR CHEST PA");

        // General Series (+ CR Series / DX Series)
        b.Text("Modality", style.Modality);
        b.Identifier("SeriesInstanceUID", "uid", identity.SeriesInstanceUid);
        b.Text("SeriesNumber", (1 + random.Next(3)).ToString(CultureInfo.InvariantCulture));
        b.Identifier("SeriesDate", "date", Date(acquired));
        b.Text("SeriesTime", Time(acquired));
        b.Text("SeriesDescription", "CHEST PA");
        b.Identifier("OperatorsName", "operator", identity.OperatorName);
        b.Text("BodyPartExamined", "CHEST");
        b.Text("ViewPosition", "PA");
        if (dx)
        {
            b.Text("PresentationIntentType", "FOR PRESENTATION");
        }

        // General Equipment
        b.Text("Manufacturer", "HEALTHASSIST");
        b.Text("ManufacturerModelName", dx ? "SYNTH DR 1" : "SYNTH CR 1");
        b.Text("SoftwareVersions", "SYNTH 1.0");
        b.Identifier("InstitutionName", "institution", identity.InstitutionName);
        var room = 1 + random.Next(6);
        b.Identifier("StationName", "device", string.Create(CultureInfo.InvariantCulture, $"XR{room}-{(dx ? "DR" : "CR")}"));
        b.Identifier("DeviceSerialNumber", "device", string.Create(CultureInfo.InvariantCulture, $"SN{100000 + random.Next(900000)}"));

        // General Image (+ CR Image / DX Anatomy Imaged, DX Image, DX Detector)
        b.Text("InstanceNumber", "1");
        b.Text("AcquisitionNumber", "1");
        b.Text("PatientOrientation", "L\\F"); // PA: rows run to the patient's left, columns to the feet
        b.Identifier("AcquisitionDate", "date", Date(acquired));
        b.Text("AcquisitionTime", Time(acquired));
        b.Identifier("ContentDate", "date", Date(contentAt));
        b.Text("ContentTime", Time(contentAt));
        b.Text("BurnedInAnnotation", burnedIn ? "YES" : "NO");
        b.Text("LossyImageCompression", "00");
        var spacing = random.Uniform(400, 430) / Math.Max(style.Rows, style.Columns);
        b.Text("ImagerPixelSpacing", $"{DatasetBuilder.Number(spacing, "0.####")}\\{DatasetBuilder.Number(spacing, "0.####")}");
        b.Text("KVP", DatasetBuilder.Number(Math.Round(random.Uniform(110, 125))));
        b.Text("DistanceSourceToDetector", DatasetBuilder.Number(Math.Round(random.Uniform(1750, 1850))));
        b.Text("ExposureTime", DatasetBuilder.Number(Math.Round(random.Uniform(4, 20))));
        b.Text("XRayTubeCurrent", DatasetBuilder.Number(Math.Round(random.Uniform(160, 320))));
        b.Text("Exposure", DatasetBuilder.Number(Math.Round(random.Uniform(1, 5))));
        if (dx)
        {
            b.Text("PixelIntensityRelationship", "LOG");
            var view = new DicomDataset(b.Dataset);
            b.Text(view, "CodeValue", "399348003");
            b.Text(view, "CodingSchemeDesignator", "SCT");
            b.Text(view, "CodeMeaning", "postero-anterior");
            b.Sequence("ViewCodeSequence", view);
            b.Text("PositionerType", "NONE");
            b.Text("ImageLaterality", "U");
            var region = new DicomDataset(b.Dataset);
            b.Text(region, "CodeValue", "43799004");
            b.Text(region, "CodingSchemeDesignator", "SCT");
            b.Text(region, "CodeMeaning", "Chest");
            b.Sequence("AnatomicRegionSequence", region);
            b.Sequence("AcquisitionContextSequence");
            b.Text("DetectorType", "SCINTILLATOR");
            b.Int16("PixelIntensityRelationshipSign", (short)(style.Monochrome1 ? 1 : -1));
            b.Text("RescaleIntercept", "0");
            b.Text("RescaleSlope", "1");
            b.Text("RescaleType", "US");
            b.Text("PresentationLUTShape", style.Monochrome1 ? "INVERSE" : "IDENTITY");
        }
        else
        {
            b.Text("PlateID", string.Create(CultureInfo.InvariantCulture, $"PL{random.Next(100000):D5}"));
        }

        // Image Pixel
        b.UInt16("SamplesPerPixel", 1);
        b.Text("PhotometricInterpretation", style.Monochrome1 ? "MONOCHROME1" : "MONOCHROME2");
        b.UInt16("Rows", (ushort)style.Rows);
        b.UInt16("Columns", (ushort)style.Columns);
        b.UInt16("BitsAllocated", 16);
        b.UInt16("BitsStored", (ushort)style.BitsStored);
        b.UInt16("HighBit", (ushort)(style.BitsStored - 1));
        b.UInt16("PixelRepresentation", 0);

        // VOI LUT. DX For Presentation requires a VOI transform, so "none" still gets one window there.
        Voi(b, style.WindowTags == 0 && dx ? 1 : style.WindowTags, exposure, maxStored, style.Monochrome1, random);

        // Private block, as vendors write one: the creator, a version, and a reference that repeats the patient ID.
        var creator = new DicomTag(0x0009, 0x0010);
        b.Text(b.Dataset, creator, DicomVR.LO, RadiographSynthesizer.PrivateCreator);
        b.Text(b.Dataset, new DicomTag(0x0009, 0x1001), DicomVR.LO, "RADIOGRAPH SYNTH 1");
        var reference = $"PID={identity.PatientId.Trim()};ACC={accession}";
        var privateName = $"{RadiographSynthesizer.PrivateCreator} private";
        b.Identifier(new DicomTag(0x0009, 0x1002), DicomVR.LO, privateName, "mrn", reference, identity.PatientId.Trim());
        if (accession.Length > 0)
        {
            b.AddPhi(new PlantedPhi("accession", accession, $"{new DicomTag(0x0009, 0x1002)} {privateName}"));
        }

        b.Text(b.Dataset, new DicomTag(0x0009, 0x1003), DicomVR.DS, DatasetBuilder.Number(Math.Round(random.Uniform(200, 2500))));
        return b;
    }

    private static void Voi(DatasetBuilder b, int windowTags, Exposure exposure, int maxStored, bool monochrome1, RadiographRandom random)
    {
        double Stored(double attenuation) => Math.Clamp(exposure.Map(attenuation), 0, maxStored);
        double Display(double stored) => monochrome1 ? maxStored - stored : stored;
        (double Center, double Width) Window(double low, double high)
        {
            var (a, z) = (Display(Stored(low)), Display(Stored(high)));
            return (Math.Round((a + z) / 2), Math.Max(2, Math.Round(Math.Abs(z - a))));
        }

        switch (windowTags)
        {
            case 1:
                var (c, w) = Window(random.Uniform(0.03, 0.08), random.Uniform(0.80, 0.90));
                b.Text("WindowCenter", DatasetBuilder.Number(c));
                b.Text("WindowWidth", DatasetBuilder.Number(w));
                b.Text("WindowCenterWidthExplanation", "DEFAULT");
                break;
            case 2:
                var (c1, w1) = Window(random.Uniform(0.03, 0.08), random.Uniform(0.80, 0.90));
                var (c2, w2) = Window(random.Uniform(0.40, 0.50), random.Uniform(0.85, 0.95));
                b.Text("WindowCenter", $"{DatasetBuilder.Number(c1)}\\{DatasetBuilder.Number(c2)}");
                b.Text("WindowWidth", $"{DatasetBuilder.Number(w1)}\\{DatasetBuilder.Number(w2)}");
                b.Text("WindowCenterWidthExplanation", "DEFAULT\\MEDIASTINUM");
                break;
            case 3:
                b.Sequence("VOILUTSequence", VoiLut(b.Dataset, exposure, maxStored, monochrome1, random));
                break;
            default:
                break;
        }
    }

    /// <summary>An S-shaped tone curve over the stored values from about attenuation 0.02 to 0.95, 16-bit output.</summary>
    private static DicomDataset VoiLut(DicomDataset parent, Exposure exposure, int maxStored, bool monochrome1, RadiographRandom random)
    {
        const int OutputBits = 16;
        var low = (int)Math.Clamp(exposure.Map(random.Uniform(0.01, 0.04)), 0, maxStored);
        var high = (int)Math.Clamp(exposure.Map(random.Uniform(0.92, 0.98)), low + 1, maxStored);
        var first = monochrome1 ? maxStored - high : low;
        var entries = high - low + 1;
        var top = (1 << OutputBits) - 1;
        var data = new byte[entries * 2];
        for (var i = 0; i < entries; i++)
        {
            var x = (2.0 * i / (entries - 1)) - 1;
            var y = 0.5 + (0.5 * ((1.5 * x) - (0.5 * x * x * x)));
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), (ushort)Math.Round(y * top));
        }

        var item = new DicomDataset(parent);
        item.Set(DicomValueElement.FromUInt16(DatasetBuilder.Tag("LUTDescriptor"), (ushort)(entries == 65536 ? 0 : entries), (ushort)first, OutputBits));
        item.Set(DicomValueElement.FromText(DatasetBuilder.Tag("LUTExplanation"), DicomVR.LO, "SIGMOID TONE CURVE"));
        // LUT Data is US or OW; a US value is limited to 65,534 bytes in explicit VR, so long tables are OW.
        item.Set(new DicomValueElement(DatasetBuilder.Tag("LUTData"), data.Length <= 65534 ? DicomVR.US : DicomVR.OW, data));
        return item;
    }

    private static bool IsValidUid(string uid) =>
        uid.Length is > 0 and <= 64 && uid.All(c => c is '.' or (>= '0' and <= '9')) && !uid.StartsWith('.') && !uid.EndsWith('.')
        && !uid.Contains("..", StringComparison.Ordinal) && uid.Split('.').All(part => part == "0" || !part.StartsWith('0'));

    private static string Date(DateTimeOffset at) => at.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToString("HHmmss", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset) =>
        string.Create(CultureInfo.InvariantCulture, $"{(offset < TimeSpan.Zero ? '-' : '+')}{Math.Abs(offset.Hours):D2}{Math.Abs(offset.Minutes):D2}");

    /// <summary>DA from "yyyyMMdd" or ISO "yyyy-MM-dd" (a DateTime string is cut to its date).</summary>
    private static string BirthDate(string value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return "";
        }

        string[] formats = ["yyyyMMdd", "yyyy-MM-dd", "yyyy/MM/dd"];
        var datePart = text.Length > 10 && text[4] == '-' ? text[..10] : text;
        return DateOnly.TryParseExact(datePart, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
            : throw new ArgumentException($"BirthDate '{value}' is not a date (yyyyMMdd or yyyy-MM-dd).", nameof(value));
    }
}
