using System.Collections.Frozen;
using System.Text;
using HealthAssist.Dicom;
using HealthAssist.Security;

namespace HealthAssist.Deidentify.Dicom;

/// <summary>
/// De-identifies DICOM instances with the PS3.15 Annex E Application Level Confidentiality Profile (Table E.1-1, the
/// edition in <see cref="ConfidentialityProfile.Revision"/>) and the options in <see cref="DicomDeidentificationOptions"/>,
/// using the patient's keys from the deployment secret: pseudonym for Patient's Name and ID, the patient's date offset,
/// deterministic UID replacement. Same secret and input give byte-identical output. Thread-safe; one instance serves
/// any number of calls. What each action does, and every choice the standard leaves open, is in
/// compliance/adr/0007-dicom-deidentification.md.
/// </summary>
public sealed class DicomDeidentifier
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag IssuerOfPatientId = new(0x0010, 0x0021);
    private static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    private static readonly DicomTag TimezoneOffsetFromUtc = new(0x0008, 0x0201);
    private static readonly DicomTag PatientIdentityRemoved = new(0x0012, 0x0062);
    private static readonly DicomTag PatientAge = new(0x0010, 0x1010);
    private static readonly DicomTag DeidentificationMethod = new(0x0012, 0x0063);
    private static readonly DicomTag DeidentificationMethodCodeSequence = new(0x0012, 0x0064);
    private static readonly DicomTag LongitudinalTemporalInformationModified = new(0x0028, 0x0303);
    private static readonly DicomTag BurnedInAnnotation = new(0x0028, 0x0301);
    private static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    private static readonly DicomTag CodingSchemeDesignator = new(0x0008, 0x0102);
    private static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);

    private readonly DeploymentSecret _secret;
    private readonly FrozenSet<string> _safeCreators;
    private readonly IReadOnlyList<(string Code, string Meaning)> _methodCodes;

    public DicomDeidentifier(DeploymentSecret secret, DicomDeidentificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secret = secret;
        Options = options ?? DicomDeidentificationOptions.Default;
        _safeCreators = Options.SafePrivateCreators.Select(c => c.Trim()).Where(c => c.Length > 0).ToFrozenSet(StringComparer.Ordinal);

        var enabled = new HashSet<ProfileOption>();
        var codes = new List<(string, string)> { ("113100", "Basic Application Confidentiality Profile") };
        void Enable(bool on, ProfileOption option, string code, string meaning)
        {
            if (on)
            {
                enabled.Add(option);
                codes.Add((code, meaning));
            }
        }

        Enable(Options.CleanDescriptors, ProfileOption.CleanDescriptors, "113105", "Clean Descriptors Option");
        Enable(Options.RetainLongitudinalTemporalInformationWithModifiedDates, ProfileOption.RetainLongitudinalModifiedDates, "113107", "Retain Longitudinal Temporal Information Modified Dates Option");
        Enable(Options.RetainPatientCharacteristics, ProfileOption.RetainPatientCharacteristics, "113108", "Retain Patient Characteristics Option");
        Enable(Options.RetainDeviceIdentity, ProfileOption.RetainDeviceIdentity, "113109", "Retain Device Identity Option");
        Enable(_safeCreators.Count > 0, ProfileOption.RetainSafePrivate, "113111", "Retain Safe Private Option");
        ProfileOptions = enabled.ToFrozenSet();
        _methodCodes = codes;
    }

    public DicomDeidentificationOptions Options { get; }

    /// <summary>The Table E.1-1 option columns in force.</summary>
    public IReadOnlySet<ProfileOption> ProfileOptions { get; }

    private bool ShiftDates => Options.RetainLongitudinalTemporalInformationWithModifiedDates;

    /// <summary>
    /// The patient's keys for an instance: from Patient ID (0010,0020) in the namespace of Issuer of Patient ID
    /// (0010,0021), or <see cref="DicomDeidentificationOptions.DefaultPatientIdIssuer"/> when there is none. An instance
    /// without a Patient ID gets keys of its study (Study Instance UID), so that its study at least stays consistent.
    /// The pipeline passes the case's keys instead, so that FHIR, DICOM and audio of a patient share them.
    /// </summary>
    public PatientKeys DeriveKeys(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var patientId = dataset.GetString(PatientId)?.Trim();
        if (!string.IsNullOrEmpty(patientId))
        {
            var issuer = dataset.GetString(IssuerOfPatientId)?.Trim();
            return PatientKeys.Derive(_secret, string.IsNullOrEmpty(issuer) ? Options.DefaultPatientIdIssuer : issuer, patientId);
        }

        return PatientKeys.Derive(_secret, "urn:healthassist:dicom:study-instance-uid", dataset.GetString(StudyInstanceUid)?.Trim() ?? string.Empty);
    }

    /// <summary>De-identifies one instance, or quarantines it (no output) when its pixels may carry text that cannot be cleaned.</summary>
    /// <param name="input">The instance as read; it is not modified.</param>
    /// <param name="keys">The patient's keys; derived from the instance (<see cref="DeriveKeys"/>) when null.</param>
    public DicomDeidentificationResult Deidentify(DicomFile input, PatientKeys? keys = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pass = new Pass(this, keys ?? DeriveKeys(input.Dataset), input.Dataset);
        return pass.Run(input);
    }

    /// <summary>The state of one call: counts, the UID map, the descriptor cleaner.</summary>
    private sealed class Pass(DicomDeidentifier owner, PatientKeys keys, DicomDataset sourceRoot)
    {
        private readonly DicomDeidentificationOptions _options = owner.Options;
        private readonly Dictionary<string, string> _uidMap = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _actions = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, SortedDictionary<string, int>> _attributes = new(StringComparer.Ordinal);
        private readonly HashSet<DicomElement> _utf8Elements = new(ReferenceEqualityComparer.Instance);
        private DescriptorCleaner? _cleaner;
        private DicomValueElement? _blankedPixelData;
        private bool _nonAsciiWritten;
        private int _datesShifted;
        private int _regionsBlanked;

        private bool ShiftDates => owner.ShiftDates;

        public DicomDeidentificationResult Run(DicomFile input)
        {
            if (BurnedInAnnotationPolicy.MayCarryText(sourceRoot, _options))
            {
                var rule = BurnedInAnnotationPolicy.FindRule(sourceRoot, _options);
                if (rule is null)
                {
                    return Quarantine("its pixels may carry burned-in text (Burned In Annotation is YES, or absent for a modality or SOP class that burns in text) and no pixel-cleaning rule matches its manufacturer, model and image size");
                }

                var (pixels, blanked, refusal) = BurnedInAnnotationPolicy.Blank(sourceRoot, rule);
                if (refusal is not null)
                {
                    return Quarantine("its pixels may carry burned-in text and cannot be cleaned: " + refusal);
                }

                _blankedPixelData = pixels;
                _regionsBlanked = blanked;
            }

            var output = Process(sourceRoot, parent: null, strict: false);
            Finish(output);
            var file = new DicomFile(new DicomDataset(), output, input.TransferSyntax, hadPreamble: true);
            return new DicomDeidentificationResult(file, null, Report(null), _uidMap.ToFrozenDictionary(StringComparer.Ordinal));
        }

        private DicomDeidentificationResult Quarantine(string reason) =>
            new(null, reason, Report(reason), FrozenDictionary<string, string>.Empty);

        private DicomDeidentificationReport Report(string? quarantineReason)
        {
            var methods = owner._methodCodes.Select(c => c.Meaning).ToList();
            if (_regionsBlanked > 0)
            {
                methods.Insert(1, "Clean Pixel Data Option");
            }

            return new DicomDeidentificationReport(
                ConfidentialityProfile.Revision,
                methods,
                new SortedDictionary<string, int>(_actions, StringComparer.Ordinal),
                new SortedDictionary<string, IReadOnlyDictionary<string, int>>(
                    _attributes.ToDictionary(a => a.Key, a => (IReadOnlyDictionary<string, int>)new SortedDictionary<string, int>(a.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                    StringComparer.Ordinal),
                _uidMap.Count,
                _datesShifted > 0,
                _regionsBlanked,
                quarantineReason);
        }

        private DicomDataset Process(DicomDataset source, DicomDataset? parent, bool strict)
        {
            var output = new DicomDataset(parent);
            foreach (var element in source)
            {
                var tag = element.Tag;
                if (tag.Element == 0x0000)
                {
                    Count("(gggg,0000)", "unlisted:X"); // retired (PS3.5 7.2); the writer recomputes the ones it needs
                    continue;
                }

                if (tag.IsPrivate || (tag.Group & 1) == 1)
                {
                    Private(element, source, output);
                    continue;
                }

                if (tag == DicomTag.PixelData && parent is null && _blankedPixelData is not null)
                {
                    output.Set(_blankedPixelData);
                    Count("PixelData", "pixel:C");
                    continue;
                }

                if (tag.Group is 0x0000 or 0x0002)
                {
                    // Command and file meta elements do not belong in a stored dataset. The writer rebuilds the file meta
                    // from the de-identified dataset, so Media Storage SOP Instance UID (U) follows the replaced SOP
                    // Instance UID there.
                    var listed = ConfidentialityProfile.TryFind(tag, out var metaRow);
                    Count(listed ? metaRow!.Label : Keyword(tag), listed ? ConfidentialityProfile.Code(ConfidentialityProfile.Resolve(metaRow!, owner.ProfileOptions)) : "unlisted:X");
                    continue;
                }

                if (ConfidentialityProfile.TryFind(tag, out var row))
                {
                    Listed(row, element, source, output, strict);
                }
                else
                {
                    Unlisted(element, source, output, strict);
                }
            }

            return output;
        }

        private void Private(DicomElement element, DicomDataset source, DicomDataset output)
        {
            var row = ConfidentialityProfile.PrivateAttributes;
            var tag = element.Tag;
            var creatorTag = tag.IsPrivateCreator ? tag : tag.PrivateCreatorTag;
            var creator = tag.IsPrivate && creatorTag is { } ct ? source.GetString(ct)?.Trim() : null;
            if (creator is null || !owner._safeCreators.Contains(creator))
            {
                Count(row.Label, "X");
                return;
            }

            // Retain Safe Private: a block whose creator the deployment declared safe is kept; its sequences are still
            // processed, so that public attributes nested in them get their own actions.
            output.Set(element is DicomSequence sequence ? Items(sequence, output, strict: false) : element);
            Count(row.Label, "C");
        }

        private void Listed(ProfileEntry row, DicomElement element, DicomDataset source, DicomDataset output, bool strict)
        {
            var tag = element.Tag;
            var action = ConfidentialityProfile.Resolve(row, owner.ProfileOptions);
            var code = ConfidentialityProfile.Code(action);
            Count(row.Label, code);

            if (tag == PatientName || tag == PatientId)
            {
                // Z and Z/D allow a dummy value: the patient's pseudonym, the same in every modality.
                output.Set(DicomValueElement.FromText(tag, element.VR == DicomVR.UN ? (tag == PatientName ? DicomVR.PN : DicomVR.LO) : element.VR, keys.Pseudonym.Value));
                return;
            }

            switch (action)
            {
                case ProfileAction.Keep:
                    output.Set(element is DicomSequence kept ? Items(kept, output, strict) : element);
                    break;
                case ProfileAction.Remove:
                    break;
                case ProfileAction.Zero or ProfileAction.RemoveOrZero:
                    SetIfNotNull(output, ZeroLength(element));
                    break;
                case ProfileAction.Dummy or ProfileAction.ZeroOrDummy or ProfileAction.RemoveOrDummy or ProfileAction.RemoveOrZeroOrDummy:
                    SetIfNotNull(output, Dummy(element, output));
                    break;
                case ProfileAction.Clean:
                    SetIfNotNull(output, Clean(element, source, output));
                    break;
                case ProfileAction.ReplaceUid:
                    SetIfNotNull(output, element is DicomValueElement { VR.Code: "UI" } uid ? ReplaceUids(uid) : ZeroLength(element));
                    break;
                case ProfileAction.RemoveOrZeroOrReplaceContainedUids:
                    SetIfNotNull(output, element is DicomSequence references ? Items(references, output, strict) : ZeroLength(element));
                    break;
                default:
                    throw new InvalidOperationException($"No implementation for action {code}.");
            }
        }

        private void Unlisted(DicomElement element, DicomDataset source, DicomDataset output, bool strict)
        {
            var tag = element.Tag;
            if ((tag.Group & 0xFF00) == 0x6000)
            {
                // The rest of an overlay whose data and comments the table removes: Overlay Rows, Type, Origin … would
                // describe an overlay that is no longer there (and break the Overlay Plane module), so the group goes.
                Count(Keyword(tag), "overlay:X");
                return;
            }

            switch (element)
            {
                case DicomSequence sequence:
                    output.Set(Items(sequence, output, strict));
                    CountKept();
                    return;
                case DicomFragmentSequence:
                    output.Set(element);
                    CountKept();
                    return;
            }

            var value = (DicomValueElement)element;
            var vr = value.VR.Code;
            if (vr == "UI")
            {
                if (IsStandardUid(tag, value, source))
                {
                    output.Set(value);
                    CountKept();
                }
                else
                {
                    output.Set(ReplaceUids(value));
                    Count(Keyword(tag), "unlisted:U");
                }

                return;
            }

            if (vr is "DA" or "DT")
            {
                // Dates the table does not list are still dates of the patient's care: shifted like the listed ones.
                var shifted = ShiftDates ? ShiftDate(value, source) : DummyValues.Create(tag, value.VR);
                SetIfNotNull(output, shifted);
                Count(Keyword(tag), ShiftDates ? "unlisted:C" : "unlisted:D");
                return;
            }

            if (vr == "PN")
            {
                output.Set(DummyValues.Create(tag, value.VR));
                Count(Keyword(tag), "unlisted:D");
                return;
            }

            var known = DicomDictionary.TryGet(tag, out _);
            var text = vr is "AE" or "LO" or "LT" or "SH" or "ST" or "UC" or "UR" or "UT";
            if (!known && (text || vr == "UN"))
            {
                Count(Keyword(tag), "unlisted:X"); // not in our PS3.6: nothing says what it holds, so free text goes
                return;
            }

            if (strict && (vr == "UN" || (text && !IsCodedConceptAttribute(tag))))
            {
                // Inside a sequence the table replaces (D) or cleans (C): free text becomes the dummy, coded entries stay.
                SetIfNotNull(output, vr == "UN" ? null : DummyValues.Create(tag, value.VR));
                Count(Keyword(tag), vr == "UN" ? "strict:X" : "strict:D");
                return;
            }

            output.Set(value);
            CountKept();
        }

        private DicomSequence Items(DicomSequence sequence, DicomDataset outputParent, bool strict) =>
            new(sequence.Tag, sequence.Items.Select(item => Process(item, outputParent, strict)).ToList());

        private DicomElement? Dummy(DicomElement element, DicomDataset outputParent) => element switch
        {
            DicomSequence sequence => Items(sequence, outputParent, strict: true),
            DicomValueElement { VR.Code: "UI", IsEmpty: false } uid => ReplaceUids(uid),
            DicomValueElement value => DummyValues.Create(value.Tag, value.VR),
            _ => null,
        };

        private DicomElement? Clean(DicomElement element, DicomDataset source, DicomDataset outputParent)
        {
            if (element is DicomSequence sequence)
            {
                return Items(sequence, outputParent, strict: true);
            }

            if (element is not DicomValueElement value)
            {
                return null;
            }

            switch (value.VR.Code)
            {
                case "DA" or "DT":
                    return ShiftDates ? ShiftDate(value, source) : DummyValues.Create(value.Tag, value.VR);
                case "TM" or "CS" or "AS" or "DS" or "IS":
                    return value; // a shift by whole days leaves times as they are; codes and numbers carry no identity
                case "AE":
                    return value.IsEmpty ? value : DicomValueElement.FromText(value.Tag, value.VR, PseudonymousAeTitle(value.GetText(source.CharacterSet)));
                case "UI":
                    return ReplaceUids(value);
                case "PN" or "UR":
                    return DummyValues.Create(value.Tag, value.VR);
                case "SH" when value.Tag == TimezoneOffsetFromUtc:
                    return IsUtcOffset(value.GetText(source.CharacterSet)) ? value : ZeroLength(value);
                case "LO" or "SH" or "ST" or "LT" or "UC" or "UT":
                    return CleanText(value, source);
                case "UN":
                    return null;
                default:
                    return value.VR.Kind == VRKind.Binary ? value : null;
            }
        }

        private DicomValueElement CleanText(DicomValueElement value, DicomDataset source)
        {
            if (value.IsEmpty)
            {
                return value;
            }

            _cleaner ??= BuildCleaner();
            var original = value.GetStrings(source.CharacterSet);
            var cleaned = original.Select(v => Truncate(_cleaner.Clean(v), value.VR)).ToList();
            if (cleaned.SequenceEqual(original, StringComparer.Ordinal))
            {
                return value;
            }

            return WriteText(value.Tag, value.VR, string.Join('\\', cleaned));
        }

        private DicomValueElement WriteText(DicomTag tag, DicomVR vr, string text)
        {
            var element = DicomValueElement.FromText(tag, vr, text);
            _utf8Elements.Add(element);
            _nonAsciiWritten |= !Ascii.IsValid(text);
            return element;
        }

        private DicomValueElement? ShiftDate(DicomValueElement value, DicomDataset source)
        {
            if (value.IsEmpty)
            {
                return value;
            }

            var text = value.GetText(source.CharacterSet);
            var shifted = value.VR == DicomVR.DA ? DicomDateShifter.ShiftDate(text, keys.DateOffsetDays) : DicomDateShifter.ShiftDateTime(text, keys.DateOffsetDays);
            if (shifted is null)
            {
                Count(Keyword(value.Tag), "unparseable date:Z"); // text we cannot vouch for is not kept
                return new DicomValueElement(value.Tag, value.VR, ReadOnlyMemory<byte>.Empty);
            }

            _datesShifted++;
            return DicomValueElement.FromText(value.Tag, value.VR, shifted);
        }

        private DicomValueElement ReplaceUids(DicomValueElement value)
        {
            if (value.IsEmpty)
            {
                return value;
            }

            var uids = value.GetStrings(DicomCharacterSet.Default).Select(u => u.Trim().TrimEnd('\0')).Select(u => u.Length == 0 ? u : Remap(u));
            return DicomValueElement.FromText(value.Tag, value.VR, string.Join('\\', uids));
        }

        private string Remap(string uid)
        {
            if (!_uidMap.TryGetValue(uid, out var replacement))
            {
                replacement = keys.RemapUid(uid);
                _uidMap[uid] = replacement;
            }

            return replacement;
        }

        private static DicomElement? ZeroLength(DicomElement element) => element switch
        {
            DicomSequence sequence => new DicomSequence(sequence.Tag, []),
            DicomValueElement value => new DicomValueElement(value.Tag, value.VR, ReadOnlyMemory<byte>.Empty),
            _ => null,
        };

        private static void SetIfNotNull(DicomDataset output, DicomElement? element)
        {
            if (element is not null)
            {
                output.Set(element);
            }
        }

        private string PseudonymousAeTitle(string aeTitle)
        {
            var mac = owner._secret.Derive("dicom-ae-title", Encoding.UTF8.GetBytes(aeTitle.Trim()));
            return "AE" + Convert.ToHexString(mac, 0, 7);
        }

        private static bool IsUtcOffset(string text) =>
            text.Length == 5 && text[0] is '+' or '-' && !text.AsSpan(1).ContainsAnyExceptInRange('0', '9');

        private static string Truncate(string text, DicomVR vr) =>
            vr.MaximumLength > 0 && text.Length > vr.MaximumLength ? text[..vr.MaximumLength] : text;

        // UIDs the standard defines (SOP classes, transfer syntaxes, coding schemes) name no one and must stay as they are.
        private static bool IsStandardUid(DicomTag tag, DicomValueElement value, DicomDataset source)
        {
            if (DicomDictionary.TryGet(tag, out var entry)
                && (entry.Keyword.EndsWith("ClassUID", StringComparison.Ordinal) || entry.Keyword.Contains("ClassUIDInFile", StringComparison.Ordinal)
                    || entry.Keyword.Contains("TransferSyntaxUID", StringComparison.Ordinal) || entry.Keyword == "SOPClassesInStudy"
                    || entry.Keyword is "CodingSchemeUID" or "ContextUID" or "MappingResourceUID"))
            {
                return true;
            }

            var uids = value.GetStrings(source.CharacterSet);
            return uids.All(u => u.Length == 0 || u.StartsWith("1.2.840.10008.", StringComparison.Ordinal));
        }

        // Code Value, Coding Scheme Designator and Version, Code Meaning, Long/URN Code Value, Context Identifier,
        // Mapping Resource (Name): what a coded entry says, not who it is about.
        private static bool IsCodedConceptAttribute(DicomTag tag) =>
            tag.Group == 0x0008 && tag.Element is 0x0100 or 0x0102 or 0x0103 or 0x0104 or 0x0105 or 0x010F or 0x0119 or 0x0120 or 0x0122;

        private static string Keyword(DicomTag tag) =>
            DicomDictionary.TryGet(tag, out var entry) && entry.Keyword.Length > 0 ? entry.Keyword : tag.ToString();

        // Attributes kept as they are outside the table are counted per action only: listing them per keyword would make
        // every report an inventory of the instance.
        private void CountKept() => _actions["unlisted:K"] = _actions.GetValueOrDefault("unlisted:K") + 1;

        private void Count(string label, string code)
        {
            _actions[code] = _actions.GetValueOrDefault(code) + 1;
            if (!_attributes.TryGetValue(label, out var perCode))
            {
                perCode = new SortedDictionary<string, int>(StringComparer.Ordinal);
                _attributes[label] = perCode;
            }

            perCode[code] = perCode.GetValueOrDefault(code) + 1;
        }

        private DescriptorCleaner BuildCleaner()
        {
            var values = new List<string>();
            var names = new List<string>();
            Collect(sourceRoot, values, names);
            return new DescriptorCleaner(values, names);
        }

        // Values of attributes the profile removes or replaces, and every person name: what must not survive in text.
        private void Collect(DicomDataset dataset, List<string> values, List<string> names)
        {
            foreach (var element in dataset)
            {
                if (element is DicomSequence sequence)
                {
                    foreach (var item in sequence.Items)
                    {
                        Collect(item, values, names);
                    }

                    continue;
                }

                if (element is not DicomValueElement { IsEmpty: false, VR.Kind: VRKind.Text } value || element.Tag.IsPrivate)
                {
                    continue;
                }

                var vr = value.VR.Code;
                if (vr == "PN")
                {
                    names.AddRange(value.GetStrings(dataset.CharacterSet));
                    continue;
                }

                if (vr is "UI" or "CS" or "TM" or "DS" or "IS" or "AS" || !ConfidentialityProfile.TryFind(element.Tag, out var row))
                {
                    continue;
                }

                var action = ConfidentialityProfile.Resolve(row, owner.ProfileOptions);
                if (action is ProfileAction.Keep or ProfileAction.Clean or ProfileAction.ReplaceUid or ProfileAction.RemoveOrZeroOrReplaceContainedUids)
                {
                    continue;
                }

                foreach (var text in value.GetStrings(dataset.CharacterSet))
                {
                    if (vr == "DA")
                    {
                        values.AddRange(DescriptorCleaner.DateSpellings(text.Trim()));
                    }
                    else
                    {
                        values.Add(text);
                    }
                }
            }
        }

        private void Finish(DicomDataset output)
        {
            if (!output.Contains(PatientName))
            {
                output.Set(DicomValueElement.FromText(PatientName, DicomVR.PN, keys.Pseudonym.Value));
            }

            if (!output.Contains(PatientId))
            {
                output.Set(DicomValueElement.FromText(PatientId, DicomVR.LO, keys.Pseudonym.Value));
            }

            // Safe Harbor: ages over 89 are aggregated (Retain Patient Characteristics keeps the age otherwise).
            if (output.GetString(PatientAge) is { Length: 4 } age && age[3] == 'Y'
                && int.TryParse(age.AsSpan(0, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var years) && years > 89)
            {
                output.Set(DicomValueElement.FromText(PatientAge, DicomVR.AS, "090Y"));
            }

            output.Set(DicomValueElement.FromText(PatientIdentityRemoved, DicomVR.CS, "YES"));
            output.Set(DicomValueElement.FromText(DeidentificationMethod, DicomVR.LO, $"HealthAssist PS3.15 {ConfidentialityProfile.Revision} Annex E"));
            var methods = owner._methodCodes.ToList();
            if (_regionsBlanked > 0)
            {
                methods.Insert(1, ("113101", "Clean Pixel Data Option"));
                output.Set(DicomValueElement.FromText(BurnedInAnnotation, DicomVR.CS, "NO"));
            }

            var items = methods.Select(m =>
            {
                var item = new DicomDataset(output);
                item.Set(DicomValueElement.FromText(CodeValue, DicomVR.SH, m.Code));
                item.Set(DicomValueElement.FromText(CodingSchemeDesignator, DicomVR.SH, "DCM"));
                item.Set(DicomValueElement.FromText(CodeMeaning, DicomVR.LO, m.Meaning));
                return item;
            }).ToList();
            output.Set(new DicomSequence(DeidentificationMethodCodeSequence, items));
            output.Set(DicomValueElement.FromText(LongitudinalTemporalInformationModified, DicomVR.CS, ShiftDates ? "MODIFIED" : "REMOVED"));

            if (_nonAsciiWritten && !IsUtf8(output.CharacterSet))
            {
                TranscodeToUtf8(output);
            }
        }

        private static bool IsUtf8(DicomCharacterSet characterSet) =>
            characterSet.Terms.Count > 0 && characterSet.Terms[0].Trim() == "ISO_IR 192";

        /// <summary>
        /// Cleaned text is written as UTF-8. When some of it is not ASCII and the instance declares another character set,
        /// every other text value is re-encoded to UTF-8 too and (0008,0005) becomes ISO_IR 192, so that the instance
        /// has one consistent encoding.
        /// </summary>
        private void TranscodeToUtf8(DicomDataset root)
        {
            Transcode(root);
            root.Set(DicomValueElement.FromText(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"));
        }

        private void Transcode(DicomDataset dataset)
        {
            var characterSet = dataset.CharacterSet; // resolved before anything in this dataset or above changes
            var replacements = new List<DicomElement>();
            var nested = new List<DicomDataset>();
            foreach (var element in dataset)
            {
                if (element is DicomSequence sequence)
                {
                    nested.AddRange(sequence.Items);
                }
                else if (element is DicomValueElement { IsEmpty: false } value && value.VR.Code is "SH" or "LO" or "ST" or "LT" or "UC" or "UT" or "PN"
                    && !_utf8Elements.Contains(value))
                {
                    replacements.Add(DicomValueElement.FromText(value.Tag, value.VR, value.GetText(characterSet)));
                }
            }

            foreach (var item in nested)
            {
                Transcode(item);

                // Items inherit the root's ISO_IR 192; Set then Remove also drops the item's cached character set.
                item.Set(DicomValueElement.FromText(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192"));
                item.Remove(DicomTag.SpecificCharacterSet);
            }

            foreach (var replacement in replacements)
            {
                dataset.Set(replacement);
            }
        }
    }
}
