using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Fhir;

/// <summary>Builds the <see cref="CaseView"/> of one patient at an index time from a <see cref="FhirRecord"/>.</summary>
public static partial class CaseViewBuilder
{
    private static readonly HashSet<string> ActiveClinicalStatuses = ["active", "recurrence", "relapse"];
    private static readonly HashSet<string> DiscardedVerification = ["refuted", "entered-in-error"];

    /// <param name="record">The submitted resources.</param>
    /// <param name="indexTime">The moment the assessment is made; nothing recorded after it is used.</param>
    /// <param name="patientReference">Which patient (<c>Patient/id</c> or a fullUrl) when the record holds several.</param>
    public static CaseView Build(FhirRecord record, DateTimeOffset indexTime, string? patientReference = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var patient = FindPatient(record, patientReference);
        var issues = new List<FhirInputIssue>();
        var reference = $"Patient/{patient.Id}";

        bool Mine(ResourceReference? subject, DomainResource from) => record.PointsTo(subject, patient, from);

        var observations = new List<ObservationFact>();
        var notes = new List<NoteFact>();
        foreach (var observation in record.All<Observation>().Where(o => Mine(o.Subject, o)))
        {
            if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
            {
                continue;
            }

            var effective = Time(observation.Effective) ?? observation.IssuedElement?.Value;
            if (effective > indexTime)
            {
                continue;
            }

            var source = $"Observation/{observation.Id}";
            var observationNotes = observation.Note.Select(n => n.Text).OfType<string>().Where(t => t.Trim().Length > 0).ToList();
            notes.AddRange(observationNotes.Select(t => new NoteFact("observation-note", effective, t, source)));
            if (observation.Value is Quantity quantity)
            {
                observations.Add(Fact(observation.Code, quantity, effective, source, observationNotes));
            }

            foreach (var component in observation.Component)
            {
                if (component.Value is Quantity componentQuantity)
                {
                    observations.Add(Fact(component.Code, componentQuantity, effective, source, observationNotes));
                }
            }
        }

        var conditions = record.All<Condition>().Where(c => Mine(c.Subject, c))
            .Where(c => !DiscardedVerification.Contains(Code(c.VerificationStatus) ?? string.Empty))
            .Select(c => (Condition: c, Onset: Time(c.Onset) ?? Time(c.RecordedDateElement)))
            .Where(c => c.Onset is null || c.Onset <= indexTime)
            .Select(c =>
            {
                var abated = Time(c.Condition.Abatement) is { } end && end <= indexTime;
                var active = !abated && ActiveClinicalStatuses.Contains(Code(c.Condition.ClinicalStatus) ?? "active");
                return new ConditionFact(CodedConcept.From(c.Condition.Code), Display(c.Condition.Code), active, Code(c.Condition.ClinicalStatus),
                    Code(c.Condition.VerificationStatus), c.Onset, $"Condition/{c.Condition.Id}");
            })
            .ToList();

        var medications = new List<MedicationFact>();
        foreach (var request in record.All<MedicationRequest>().Where(m => Mine(m.Subject, m)))
        {
            var date = Time(request.AuthoredOnElement);
            if (date <= indexTime || date is null)
            {
                var concept = MedicationConcept(record, request.Medication, request);
                medications.Add(new MedicationFact(CodedConcept.From(concept), Display(concept), request.Status?.ToString().ToLowerInvariant(), date, $"MedicationRequest/{request.Id}"));
            }
        }

        foreach (var statement in record.All<MedicationStatement>().Where(m => Mine(m.Subject, m)))
        {
            var date = Time(statement.Effective) ?? Time(statement.DateAssertedElement);
            if (date <= indexTime || date is null)
            {
                var concept = MedicationConcept(record, statement.Medication, statement);
                medications.Add(new MedicationFact(CodedConcept.From(concept), Display(concept), statement.Status?.ToString().ToLowerInvariant(), date, $"MedicationStatement/{statement.Id}"));
            }
        }

        var allergies = record.All<AllergyIntolerance>().Where(a => Mine(a.Patient, a))
            .Where(a => !DiscardedVerification.Contains(Code(a.VerificationStatus) ?? string.Empty))
            .Where(a => Time(a.RecordedDateElement) is not { } recorded || recorded <= indexTime)
            .Select(a => new AllergyFact(CodedConcept.From(a.Code), Display(a.Code), a.Criticality?.ToString().ToLowerInvariant(),
                string.Join(',', a.Category.Select(c => c?.ToString().ToLowerInvariant())), $"AllergyIntolerance/{a.Id}"))
            .ToList();

        var consents = record.All<Consent>().Where(c => Mine(c.Patient, c))
            .Select(c => new ConsentFact(c.Status?.ToString().ToLowerInvariant(), CodedConcept.From(c.Scope), c.Category.SelectMany(CodedConcept.From).ToList(), Time(c.DateTimeElement), $"Consent/{c.Id}"))
            .ToList();

        foreach (var document in record.All<DocumentReference>().Where(d => Mine(d.Subject, d)))
        {
            var date = document.DateElement?.Value;
            if (date > indexTime)
            {
                continue;
            }

            foreach (var content in document.Content)
            {
                if (AttachmentText(content.Attachment, issues, $"DocumentReference/{document.Id}") is { } text)
                {
                    notes.Add(new NoteFact("document", date, text, $"DocumentReference/{document.Id}"));
                }
            }
        }

        foreach (var composition in record.All<Composition>().Where(c => Mine(c.Subject, c)))
        {
            var date = Time(composition.DateElement);
            if (date > indexTime)
            {
                continue;
            }

            var text = new StringBuilder(composition.Title ?? string.Empty);
            foreach (var section in Flatten(composition.Section))
            {
                text.AppendLine().Append(section.Title).Append(": ").Append(NarrativeText(section.Text));
            }

            notes.Add(new NoteFact("composition", date, text.ToString().Trim(), $"Composition/{composition.Id}"));
        }

        foreach (var report in record.All<DiagnosticReport>().Where(r => Mine(r.Subject, r)))
        {
            var date = Time(report.Effective) ?? report.IssuedElement?.Value;
            if (report.Conclusion is { Length: > 0 } conclusion && (date is null || date <= indexTime))
            {
                notes.Add(new NoteFact("report-conclusion", date, conclusion, $"DiagnosticReport/{report.Id}"));
            }
        }

        return new CaseView(reference, indexTime, AgeYears(patient.BirthDate, indexTime), patient.Gender, observations, conditions, medications, allergies, consents, notes, issues);
    }

    private static Patient FindPatient(FhirRecord record, string? patientReference)
    {
        if (patientReference is not null)
        {
            return record.Resolve(new ResourceReference(patientReference)) as Patient
                ?? throw new InvalidInputException("The record has no such Patient", patientReference) { StatusCode = 422 };
        }

        var patients = record.All<Patient>().ToList();
        return patients.Count switch
        {
            1 => patients[0],
            0 => throw new InvalidInputException("The record has no Patient resource", "Patient") { StatusCode = 422 },
            _ => throw new InvalidInputException($"The record holds {patients.Count} patients; name the one to assess", "Patient") { StatusCode = 422 },
        };
    }

    private static ObservationFact Fact(CodeableConcept code, Quantity quantity, DateTimeOffset? effective, string source, IReadOnlyList<string> notes) =>
        new(CodedConcept.From(code), Display(code), quantity.Value, quantity.Unit, quantity.Code ?? quantity.Unit, effective, source, notes);

    private static CodeableConcept? MedicationConcept(FhirRecord record, DataType? medication, DomainResource from) => medication switch
    {
        CodeableConcept concept => concept,
        ResourceReference reference => (record.Resolve(reference, from) as Medication)?.Code,
        _ => null,
    };

    private static string? AttachmentText(Attachment? attachment, List<FhirInputIssue> issues, string source)
    {
        if (attachment?.Data is null || attachment.ContentType is null || !attachment.ContentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(attachment.Data);
        }
        catch (DecoderFallbackException)
        {
            issues.Add(FhirInputIssue.Warning(source + ".content.attachment", "A text/plain attachment is not valid UTF-8 and was not read."));
            return null;
        }
    }

    private static IEnumerable<Composition.SectionComponent> Flatten(IEnumerable<Composition.SectionComponent> sections) =>
        sections.SelectMany(s => new[] { s }.Concat(Flatten(s.Section)));

    private static string NarrativeText(Narrative? narrative) =>
        narrative?.Div is { } div ? WhiteSpace().Replace(Tags().Replace(div, " "), " ").Trim() : string.Empty;

    private static string Display(CodeableConcept? concept) =>
        concept?.Text ?? concept?.Coding.FirstOrDefault(c => c.Display is not null)?.Display ?? concept?.Coding.FirstOrDefault()?.Code ?? "(uncoded)";

    private static string? Code(CodeableConcept? concept) => concept?.Coding.FirstOrDefault()?.Code;

    /// <summary>The start of a dateTime, Period or instant, or null when absent or not a valid date.</summary>
    internal static DateTimeOffset? Time(DataType? value) => value switch
    {
        FhirDateTime dateTime => Parse(dateTime.Value),
        Period period => Parse(period.Start) ?? Parse(period.End),
        Instant instant => instant.Value,
        FhirString text => Parse(text.Value),
        Date date => Parse(date.Value),
        _ => null,
    };

    private static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string[] formats = ["yyyy", "yyyy-MM", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mmK"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    private static double? AgeYears(string? birthDate, DateTimeOffset indexTime)
    {
        if (Parse(birthDate) is not { } born || born > indexTime)
        {
            return null;
        }

        var years = indexTime.Year - born.Year;
        if (indexTime.Month < born.Month || (indexTime.Month == born.Month && indexTime.Day < born.Day))
        {
            years--;
        }

        return years;
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
