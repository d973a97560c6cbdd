using Hl7.Fhir.Model;
using HealthAssist.Ingest.Fhir;

namespace HealthAssist.UnitTests.Ingest.Fhir;

/// <summary>Builds a small, realistic FHIR record for one patient (references by urn:uuid, as a Bundle would).</summary>
internal sealed class PatientRecordBuilder
{
    public static readonly DateTimeOffset IndexTime = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly List<(Resource Resource, string FullUrl)> _entries = [];
    private readonly string _patientUrl = $"urn:uuid:{Guid.NewGuid()}";
    private int _next;

    public PatientRecordBuilder(string birthDate = "1950-06-15", AdministrativeGender gender = AdministrativeGender.Female)
    {
        _entries.Add((new Patient { Id = "p1", BirthDate = birthDate, Gender = gender, Name = [new HumanName { Family = "Canary", Given = ["Zaphod"] }] }, _patientUrl));
    }

    private ResourceReference Subject => new(_patientUrl);

    private string NextId() => $"r{++_next}";

    public PatientRecordBuilder Observation(string loinc, decimal value, string unitCode, TimeSpan before, string? note = null, string? unitText = null)
    {
        var observation = new Observation
        {
            Id = NextId(),
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", loinc),
            Subject = Subject,
            Effective = new FhirDateTime(IndexTime - before),
            Value = new Quantity { Value = value, Code = unitCode, System = "http://unitsofmeasure.org", Unit = unitText ?? unitCode },
        };
        if (note is not null)
        {
            observation.Note.Add(new Annotation { Text = note });
        }

        _entries.Add((observation, $"urn:uuid:{Guid.NewGuid()}"));
        return this;
    }

    public PatientRecordBuilder BloodPressure(decimal systolic, decimal diastolic, TimeSpan before)
    {
        var panel = new Observation
        {
            Id = NextId(),
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "85354-9"),
            Subject = Subject,
            Effective = new FhirDateTime(IndexTime - before),
        };
        panel.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8480-6"), Value = new Quantity(systolic, "mm[Hg]") });
        panel.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8462-4"), Value = new Quantity(diastolic, "mm[Hg]") });
        _entries.Add((panel, $"urn:uuid:{Guid.NewGuid()}"));
        return this;
    }

    public PatientRecordBuilder Condition(string system, string code, string display, string clinicalStatus = "active")
    {
        _entries.Add((new Condition
        {
            Id = NextId(),
            Subject = Subject,
            Code = new CodeableConcept(system, code, display),
            ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinicalStatus),
            RecordedDate = "2020-01-01",
        }, $"urn:uuid:{Guid.NewGuid()}"));
        return this;
    }

    public PatientRecordBuilder Medication(string display, string? atc = null, MedicationRequest.MedicationrequestStatus status = MedicationRequest.MedicationrequestStatus.Active)
    {
        var concept = atc is null ? new CodeableConcept { Text = display } : new CodeableConcept("http://www.whocc.no/atc", atc, display);
        _entries.Add((new MedicationRequest
        {
            Id = NextId(),
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Subject = Subject,
            Medication = concept,
            AuthoredOn = "2025-12-01",
        }, $"urn:uuid:{Guid.NewGuid()}"));
        return this;
    }

    public PatientRecordBuilder Allergy(string snomed, string display)
    {
        _entries.Add((new AllergyIntolerance { Id = NextId(), Patient = Subject, Code = new CodeableConcept("http://snomed.info/sct", snomed, display) }, $"urn:uuid:{Guid.NewGuid()}"));
        return this;
    }

    public PatientRecordBuilder Note(string text, TimeSpan before)
    {
        _entries.Add((new DocumentReference
        {
            Id = NextId(),
            Status = DocumentReferenceStatus.Current,
            Subject = Subject,
            Date = IndexTime - before,
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain; charset=utf-8", Data = System.Text.Encoding.UTF8.GetBytes(text) } }],
        }, $"urn:uuid:{Guid.NewGuid()}"));
        return this;
    }

    public Bundle Bundle()
    {
        var bundle = new Bundle { Type = Hl7.Fhir.Model.Bundle.BundleType.Collection };
        foreach (var (resource, url) in _entries)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = resource });
        }

        return bundle;
    }

    public FhirRecord Record()
    {
        var json = Hl7.Fhir.Serialization.FhirSerializationEngineFactory.Strict(Hl7.Fhir.Model.ModelInfo.ModelInspector).SerializeToJson(Bundle());
        var record = FhirRecordReader.ReadJson(json);
        Assert.True(record.IsValid, string.Join("\n", record.Issues.Select(i => i.Message)));
        return record;
    }
}
