using System.Globalization;
using Hl7.Fhir.Model;
using HealthAssist.Synthesis.World;

namespace HealthAssist.Synthesis.Fhir;

/// <summary>References from FHIR to a case's other files.</summary>
public sealed record CaseFiles(string? Dicom, string? HeartAudio, string? LungAudio, string? StudyUid, string? SeriesUid, string? SopUid, string HeartSite, string LungSite);

/// <summary>
/// The FHIR record of one simulated patient, as an EHR would hold it: US Core-style Patient, encounters (with ICU stay
/// and readmission when they happened), vitals and labs in varied units, history, medications, allergies, consent, an
/// ED note, and ImagingStudy/Media pointing to the DICOM and WAV inputs. The acute diagnoses (the labels) are not in it.
/// </summary>
public static class PatientFhir
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string Ucum = "http://unitsofmeasure.org";
    private const string Icd10 = "http://hl7.org/fhir/sid/icd-10-cm";
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public static (List<Resource> Resources, List<PlantedPhi> Phi) Build(SyntheticPatient p, CaseFiles files)
    {
        var r = new Draw(p.Seed ^ 0x0F41);
        var resources = new List<Resource>();
        var phi = new List<PlantedPhi>();
        var id = p.Identity;
        var hospital = NameLists.Hospitals[p.Index % NameLists.Hospitals.Length];
        var clinician = NameLists.Clinicians[(p.Index / 3) % NameLists.Clinicians.Length];
        var patientId = "pt-" + p.CaseId;
        var subject = new ResourceReference($"Patient/{patientId}");
        var where = $"fhir/Patient.ndjson Patient/{patientId}";
        phi.AddRange(
        [
            new PlantedPhi("name", id.Given, where), new PlantedPhi("name", id.Family, where), new PlantedPhi("mrn", id.Mrn, where),
            new PlantedPhi("ssn", id.Ssn, where), new PlantedPhi("address", id.Street, where), new PlantedPhi("address", id.City, where),
            new PlantedPhi("address", id.PostalCode, where), new PlantedPhi("phone", id.Phone, where), new PlantedPhi("email", id.Email, where),
            new PlantedPhi("date", p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), where), new PlantedPhi("name", id.NextOfKin, where),
        ]);

        var patient = new Patient
        {
            Id = patientId,
            Identifier =
            [
                new Identifier("http://hospital.example.org/mrn", id.Mrn) { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR") },
                new Identifier("http://hl7.org/fhir/sid/us-ssn", id.Ssn) { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "SS") },
            ],
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = id.Family, Given = [id.Given] }],
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, id.Phone), new ContactPoint(ContactPoint.ContactPointSystem.Email, null, id.Email)],
            Gender = p.Sex == "male" ? AdministrativeGender.Male : AdministrativeGender.Female,
            BirthDate = p.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Address = [new Address { Line = [id.Street], City = id.City, State = id.State, PostalCode = id.PostalCode, Country = "US" }],
            Contact = [new Patient.ContactComponent { Name = new HumanName { Text = id.NextOfKin }, Relationship = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0131", "N")] }],
        };
        patient.Extension.Add(UsCoreCategory("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race", RaceCode(p.Race), p.Race));
        patient.Extension.Add(UsCoreCategory("http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity", p.Ethnicity == "Hispanic or Latino" ? "2135-2" : "2186-5", p.Ethnicity));
        if (p.Outcomes.DeathAt is { } deathAt)
        {
            patient.Deceased = new FhirDateTime(deathAt);
        }

        resources.Add(patient);

        // The index encounter (emergency admission), the ICU stay and the readmission, as an EHR records them.
        var encounterId = "enc-" + p.CaseId;
        resources.Add(new Encounter
        {
            Id = encounterId,
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding(ActCode, "IMP", "inpatient encounter"),
            Type = [new CodeableConcept(Snomed, "183452005", "Emergency hospital admission")],
            Subject = subject,
            Period = new Period(new FhirDateTime(p.ArrivalAt), new FhirDateTime(p.Outcomes.DischargeAt)),
            ServiceProvider = new ResourceReference { Display = hospital },
        });
        phi.Add(new PlantedPhi("institution", hospital, $"fhir/Encounter.ndjson Encounter/{encounterId}"));
        if (p.Outcomes.IcuAt is { } icuAt)
        {
            var icu = new Encounter
            {
                Id = "icu-" + p.CaseId,
                Status = Encounter.EncounterStatus.Finished,
                Class = new Coding(ActCode, "ACUTE", "inpatient acute"),
                Type = [new CodeableConcept(Snomed, "305351004", "Admission to intensive care unit")],
                Subject = subject,
                PartOf = new ResourceReference($"Encounter/{encounterId}"),
                Period = new Period(new FhirDateTime(icuAt), new FhirDateTime(icuAt.AddDays(2) < p.Outcomes.DischargeAt ? icuAt.AddDays(2) : p.Outcomes.DischargeAt)),
            };
            icu.Location.Add(new Encounter.LocationComponent { Location = new ResourceReference { Display = "Intensive care unit" }, PhysicalType = new CodeableConcept("http://terminology.hl7.org/CodeSystem/location-physical-type", "wa") });
            resources.Add(icu);
        }

        if (p.Outcomes.ReadmittedAt is { } back)
        {
            resources.Add(new Encounter
            {
                Id = "readm-" + p.CaseId,
                Status = Encounter.EncounterStatus.Finished,
                Class = new Coding(ActCode, "IMP", "inpatient encounter"),
                Type = [new CodeableConcept(Snomed, "417005", "Hospital re-admission")],
                Subject = subject,
                Period = new Period(new FhirDateTime(back), new FhirDateTime(back.AddDays(3))),
            });
        }

        var m = p.Measurements;
        var encounter = new ResourceReference($"Encounter/{encounterId}");
        var taken = p.ArrivalAt.AddMinutes(20);
        var obs = 0;
        void Vital(string loinc, string display, double value, string unit, string unitCode, DateTimeOffset at)
        {
            resources.Add(new Observation
            {
                Id = $"obs-{p.CaseId}-{++obs}",
                Status = ObservationStatus.Final,
                Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")],
                Code = new CodeableConcept(Loinc, loinc, display),
                Subject = subject,
                Encounter = encounter,
                Effective = new FhirDateTime(at),
                Value = new Quantity { Value = (decimal)value, Unit = unit, System = Ucum, Code = unitCode },
            });
        }

        void Lab(string loinc, string display, double value, string unit, string unitCode)
        {
            resources.Add(new Observation
            {
                Id = $"obs-{p.CaseId}-{++obs}",
                Status = ObservationStatus.Final,
                Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")],
                Code = new CodeableConcept(Loinc, loinc, display),
                Subject = subject,
                Encounter = encounter,
                Effective = new FhirDateTime(p.ArrivalAt.AddMinutes(45)),
                Value = new Quantity { Value = (decimal)value, Unit = unit, System = Ucum, Code = unitCode },
            });
        }

        Vital("8867-4", "Heart rate", m.HeartRate, "beats/min", "/min", taken);
        Vital("9279-1", "Respiratory rate", m.RespiratoryRate, "breaths/min", "/min", taken);
        Vital("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", m.Spo2, "%", "%", taken);
        if (r.Chance(0.3))
        {
            Vital("8310-5", "Body temperature", Math.Round((m.TemperatureCelsius * 9 / 5) + 32, 1), "°F", "[degF]", taken);
        }
        else
        {
            Vital("8310-5", "Body temperature", m.TemperatureCelsius, "°C", "Cel", taken);
        }

        var bp = new Observation
        {
            Id = $"obs-{p.CaseId}-{++obs}",
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")],
            Code = new CodeableConcept(Loinc, "85354-9", "Blood pressure panel with all children optional"),
            Subject = subject,
            Encounter = encounter,
            Effective = new FhirDateTime(taken),
        };
        bp.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8480-6", "Systolic blood pressure"), Value = new Quantity { Value = (decimal)m.Systolic, Unit = "mmHg", System = Ucum, Code = "mm[Hg]" } });
        bp.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8462-4", "Diastolic blood pressure"), Value = new Quantity { Value = (decimal)m.Diastolic, Unit = "mmHg", System = Ucum, Code = "mm[Hg]" } });
        resources.Add(bp);

        var pounds = r.Chance(0.2);
        Vital("29463-7", "Body weight", pounds ? Math.Round(m.WeightKgThreeDaysBefore / 0.45359237, 1) : m.WeightKgThreeDaysBefore, pounds ? "lb" : "kg", pounds ? "[lb_av]" : "kg", p.ArrivalAt.AddDays(-3));
        Vital("29463-7", "Body weight", pounds ? Math.Round(m.WeightKg / 0.45359237, 1) : m.WeightKg, pounds ? "lb" : "kg", pounds ? "[lb_av]" : "kg", taken);

        Lab("6690-2", "Leukocytes [#/volume] in Blood", m.Wbc, "10*3/uL", "10*3/uL");
        if (r.Chance(0.2))
        {
            Lab("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", Math.Round(m.Crp / 10, 2), "mg/dL", "mg/dL");
        }
        else
        {
            Lab("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", m.Crp, "mg/L", "mg/L");
        }

        // Procalcitonin is ordered on suspicion, which comes from what the clinician sees (fever, white count, CRP), not
        // from the diagnosis itself (version 2 ordered it for every pneumonia, so its presence gave the label away).
        var suspicion = m.TemperatureCelsius >= 37.8 || m.Wbc > 11 || m.Crp > 50;
        if (r.Chance(suspicion ? 0.7 : 0.35))
        {
            Lab("33959-8", "Procalcitonin [Mass/volume] in Serum or Plasma", m.Procalcitonin, "ng/mL", "ng/mL");
        }

        if (r.Chance(0.5))
        {
            Lab("30934-4", "Natriuretic peptide B [Mass/volume] in Serum or Plasma", m.Bnp, "pg/mL", "pg/mL");
        }
        else
        {
            // NT-proBNP runs several times higher than BNP for the same state.
            Lab("33762-6", "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma", Math.Round(m.Bnp * 5.5), "pg/mL", "pg/mL");
        }

        if (r.Chance(0.3))
        {
            Lab("10839-9", "Troponin I.cardiac [Mass/volume] in Serum or Plasma", Math.Round(m.Troponin / 1000, 4), "ng/mL", "ng/mL");
        }
        else
        {
            Lab("89579-7", "Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method", m.Troponin, "ng/L", "ng/L");
        }

        if (r.Chance(0.4))
        {
            Lab("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", Math.Round(m.CreatinineUmol / 88.42, 2), "mg/dL", "mg/dL");
        }
        else
        {
            Lab("14682-9", "Creatinine [Moles/volume] in Serum or Plasma", m.CreatinineUmol, "umol/L", "umol/L");
        }

        Lab("2524-7", "Lactate [Moles/volume] in Serum or Plasma", m.Lactate, "mmol/L", "mmol/L");
        if (r.Chance(0.3))
        {
            Lab("718-7", "Hemoglobin [Mass/volume] in Blood", Math.Round(m.Haemoglobin * 10), "g/L", "g/L");
        }
        else
        {
            Lab("718-7", "Hemoglobin [Mass/volume] in Blood", m.Haemoglobin, "g/dL", "g/dL");
        }

        var h = p.History;
        var condition = 0;
        void History(bool present, string snomed, string display, string? icd = null)
        {
            if (!present)
            {
                return;
            }

            var code = icd is not null && r.Chance(0.4) ? new CodeableConcept(Icd10, icd, display) : new CodeableConcept(Snomed, snomed, display);
            resources.Add(new Condition
            {
                Id = $"cond-{p.CaseId}-{++condition}",
                ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
                Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
                Code = code,
                Subject = subject,
                RecordedDate = p.ArrivalAt.AddDays(-Math.Round(r.Uniform(90, 3000))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }

        History(h.CopdOnRecord, "13645005", "Chronic obstructive lung disease", "J44.9");
        History(h.HeartFailure, "84114007", "Heart failure", "I50.9");
        History(h.Ckd, "709044004", "Chronic kidney disease", "N18.3");
        History(h.Diabetes, "44054006", "Diabetes mellitus type 2", "E11.9");
        History(h.Hypertension, "38341003", "Hypertensive disorder", "I10");
        History(h.AtrialFibrillation, "49436004", "Atrial fibrillation", "I48.91");
        History(h.SyncopeHistory, "271594007", "Syncope", "R55");
        History(h.AorticStenosisOnRecord, "60573004", "Aortic valve stenosis", "I35.0");

        var medication = 0;
        void Medication(bool present, string text)
        {
            if (present)
            {
                resources.Add(new MedicationRequest
                {
                    Id = $"med-{p.CaseId}-{++medication}",
                    Status = MedicationRequest.MedicationrequestStatus.Active,
                    Intent = MedicationRequest.MedicationRequestIntent.Order,
                    Medication = new CodeableConcept { Text = text },
                    Subject = subject,
                    AuthoredOn = p.ArrivalAt.AddDays(-Math.Round(r.Uniform(30, 700))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                });
            }
        }

        Medication(h.HeartFailure, "Furosemide 40 MG Oral Tablet");
        Medication(h.HeartFailure && r.Chance(0.7), "Bisoprolol 5 MG Oral Tablet");
        Medication(h.CopdOnRecord, "Tiotropium 18 MCG Inhalation Powder");
        Medication(h.Diabetes, r.Chance(0.8) ? "Metformin 1000 MG Oral Tablet" : "Insulin glargine 100 UNT/ML Injectable Solution");
        Medication(h.Hypertension, r.Chance(0.5) ? "Lisinopril 10 MG Oral Tablet" : "Amlodipine 5 MG Oral Tablet");
        Medication(h.AtrialFibrillation, "Apixaban 5 MG Oral Tablet");

        if (p.PenicillinAllergy)
        {
            resources.Add(new AllergyIntolerance
            {
                Id = "allergy-" + p.CaseId,
                ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
                VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
                Category = [AllergyIntolerance.AllergyIntoleranceCategory.Medication],
                Criticality = AllergyIntolerance.AllergyIntoleranceCriticality.High,
                Code = new CodeableConcept(Snomed, "91936005", "Allergy to penicillin"),
                Patient = subject,
            });
        }

        if (p.Consent.DeniesResearch || p.Consent.DeniesAiProcessing)
        {
            resources.Add(Consent(p, subject, p.Consent.DeniesResearch ? "research" : "treatment", p.Consent.DeniesAiProcessing));
        }

        var noteWhere = $"fhir/DocumentReference.ndjson DocumentReference/note-{p.CaseId}";
        var (note, notePhi) = ClinicalNote.Write(p, hospital, clinician, noteWhere);
        phi.AddRange(notePhi);
        resources.Add(new DocumentReference
        {
            Id = "note-" + p.CaseId,
            Status = DocumentReferenceStatus.Current,
            Type = new CodeableConcept(Loinc, "34111-5", "Emergency department Note"),
            Subject = subject,
            Date = p.ArrivalAt.AddMinutes(50),
            Author = [new ResourceReference { Display = clinician }],
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain; charset=utf-8", Data = System.Text.Encoding.UTF8.GetBytes(note) } }],
            Context = new DocumentReference.ContextComponent { Encounter = [encounter] },
        });

        if (files.Dicom is not null)
        {
            resources.Add(new ImagingStudy
            {
                Id = "img-" + p.CaseId,
                Status = ImagingStudy.ImagingStudyStatus.Available,
                Identifier = [new Identifier("urn:dicom:uid", "urn:oid:" + files.StudyUid)],
                Subject = subject,
                Encounter = encounter,
                Started = p.ArrivalAt.AddMinutes(60).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                NumberOfSeries = 1,
                NumberOfInstances = 1,
                Series =
                [
                    new ImagingStudy.SeriesComponent
                    {
                        Uid = files.SeriesUid,
                        Modality = new Coding("http://dicom.nema.org/resources/ontology/DCM", "DX"),
                        BodySite = new Coding(Snomed, "51185008", "Thoracic structure"),
                        Instance = [new ImagingStudy.InstanceComponent { Uid = files.SopUid, SopClass = new Coding("urn:ietf:rfc:3986", "urn:oid:1.2.840.10008.5.1.4.1.1.1.1"), Title = files.Dicom }],
                    },
                ],
            });
        }

        if (files.HeartAudio is not null)
        {
            resources.Add(Media(p, subject, "heart", files.HeartAudio, files.HeartSite));
        }

        if (files.LungAudio is not null)
        {
            resources.Add(Media(p, subject, "lung", files.LungAudio, files.LungSite));
        }

        return (resources, phi);
    }

    private static Media Media(SyntheticPatient p, ResourceReference subject, string kind, string file, string site) => new()
    {
        Id = $"{kind}-{p.CaseId}",
        Status = EventStatus.Completed,
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/media-type", "audio", "Audio"),
        Modality = new CodeableConcept(Snomed, kind == "heart" ? "88610006" : "37931006", kind == "heart" ? "Heart sounds" : "Auscultation of lungs"),
        Subject = subject,
        Created = new FhirDateTime(p.ArrivalAt.AddMinutes(30)),
        BodySite = BodySite(site),
        Content = new Attachment { ContentType = "audio/wav", Url = file, Title = $"{kind} sounds, {site}" },
    };

    private static CodeableConcept BodySite(string site) => site switch
    {
        "aortic area" => new CodeableConcept(Snomed, "59011009", "Aortic area", site),
        "mitral area" => new CodeableConcept(Snomed, "38266002", "Cardiac apex", site),
        "right lower zone" => new CodeableConcept(Snomed, "266005", "Right lower lobe of lung", site),
        "left lower zone" => new CodeableConcept(Snomed, "41224006", "Left lower lobe of lung", site),
        _ => new CodeableConcept { Text = site },
    };

    private static Consent Consent(SyntheticPatient p, ResourceReference subject, string scope, bool deniesAi)
    {
        var consent = new Consent
        {
            Id = "consent-" + p.CaseId,
            Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", scope),
            Category = [new CodeableConcept(Loinc, "59284-0", "Patient Consent")],
            Patient = subject,
            DateTime = p.ArrivalAt.AddDays(-10).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            Policy = [new Hl7.Fhir.Model.Consent.PolicyComponent { Uri = "https://healthassist.example.org/policy/data-use" }],
            Provision = new Hl7.Fhir.Model.Consent.provisionComponent { Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny },
        };
        if (deniesAi)
        {
            // No standard code says "automated decision support": a local code makes the refusal machine-readable.
            consent.Provision.Purpose.Add(new Coding("urn:healthassist:consent-purpose", "ai-processing", "Processing by AI decision support"));
        }

        if (scope == "research")
        {
            consent.Provision.Purpose.Add(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", "healthcare research"));
        }

        return consent;
    }

    private static Extension UsCoreCategory(string url, string code, string text)
    {
        var extension = new Extension { Url = url };
        extension.Extension.Add(new Extension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", code, text)));
        extension.Extension.Add(new Extension("text", new FhirString(text)));
        return extension;
    }

    private static string RaceCode(string race) => race switch
    {
        "White" => "2106-3",
        "Black or African American" => "2054-5",
        "Asian" => "2028-9",
        "American Indian or Alaska Native" => "1002-5",
        "Native Hawaiian or Other Pacific Islander" => "2076-8",
        _ => "2131-1",
    };
}
