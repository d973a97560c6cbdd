namespace HealthAssist.Deidentify.Notes;

/// <summary>The kinds of protected health information found in note text (HIPAA Safe Harbor identifiers that occur in prose).</summary>
public enum PhiType
{
    /// <summary>People: the patient, relatives, clinicians and anyone else named.</summary>
    Name,

    /// <summary>Dates more specific than a year, and weekday references to a date.</summary>
    Date,

    /// <summary>Ages over 89.</summary>
    Age,

    /// <summary>Medical record, accession, account, insurance and social security numbers, and other labelled identifiers.</summary>
    Identifier,

    /// <summary>Telephone, fax and pager numbers.</summary>
    Phone,

    Email,

    /// <summary>Web addresses and IP addresses.</summary>
    Url,

    /// <summary>Street addresses and PO boxes.</summary>
    Address,

    /// <summary>Cities, ZIP codes, and states when written as part of an address.</summary>
    Location,

    /// <summary>Hospitals, clinics, hospices, nursing homes and other named care organisations.</summary>
    Institution,
}
