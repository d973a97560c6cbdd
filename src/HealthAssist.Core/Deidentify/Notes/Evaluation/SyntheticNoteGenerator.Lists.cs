namespace HealthAssist.Deidentify.Notes.Evaluation;

/// <summary>
/// The generator's own vocabulary of people and places. Kept apart from the detector's dictionaries on purpose: the
/// "rare" lists are names and places a US-centric dictionary does not hold, so recall on them measures the context rules.
/// </summary>
public static partial class SyntheticNoteGenerator
{
    private static readonly string[] CommonGiven =
    [
        "Margaret", "Robert", "Linda", "Thomas", "Susan", "Charles", "Karen", "Steven", "Nancy", "Kenneth", "Deborah", "Paul",
        "Sharon", "Edward", "Carol", "Ronald", "Helen", "Dennis", "Joyce", "Walter", "Diane", "Harold", "Evelyn", "Roger",
        "Janet", "Gerald", "Carolyn", "Arthur", "Marie", "Eugene", "Doris", "Ralph", "Gloria", "Howard", "Theresa", "Louis",
        "Beverly", "Philip", "Judith", "Russell", "Denise", "Wayne", "Marilyn", "Bobby", "Jean", "Albert", "Kathleen", "Joe",
        "Rachel", "Bruce", "Andrea", "Jesse", "Lauren", "Craig", "Megan", "Randy", "Alicia", "Curtis", "Tiffany", "Marcus",
        "Latoya", "Dustin", "Brandy", "Travis", "Monique", "Darnell", "Crystal", "Luis", "Maria", "Jose", "Guadalupe", "Minh",
    ];

    private static readonly string[] RareGiven =
    [
        "Oluwaseun", "Thandiwe", "Anneliese", "Bartholomew", "Ximena", "Yusuf", "Ingeborg", "Radomir", "Tadeusz", "Wanjiru",
        "Zoltan", "Leocadia", "Eero", "Nnamdi", "Kazimierz", "Aurelio", "Dagny", "Emeka", "Folasade", "Gunnhild", "Ignatius",
        "Jovana", "Kaito", "Ludmila", "Mirela", "Njeri", "Orsolya", "Paavo", "Quirino", "Rashida", "Sigrun", "Teodora", "Ugochi",
        "Vasilis", "Wiremu", "Yevgenia", "Zdenka", "Anselm", "Bronisława", "Cosimo", "Dobromir", "Eulalia", "Florentyna",
        "Gaspard", "Hallvard", "Isidora", "Jarosław", "Kalinda", "Lysander", "Mihaela", "Nkechi", "Ottilie", "Perpetua",
        "Radek", "Solveig", "Tiberius", "Ulrike", "Violeta", "Wolfram", "Xanthe", "Yaroslava", "Zenobia", "Adaeze", "Bogdan",
        "Chiamaka", "Desmond", "Efua", "Fenella", "Gideon", "Hyacinth", "Ifeoma", "Jedrek", "Kwabena", "Lorcan", "Mwangi",
    ];

    // Names that are also English words: the hardest case for a detector.
    private static readonly string[] WordGiven =
    [
        "Will", "Hope", "Grace", "Bill", "June", "Rose", "Dawn", "Mark", "Frank", "Faith", "Joy", "Ray", "Iris", "Holly",
        "Amber", "April", "Art", "Sandy", "Jack", "Pearl",
    ];

    private static readonly string[] CommonFamily =
    [
        "Johnson", "Miller", "Davis", "Rodriguez", "Martinez", "Anderson", "Thompson", "Garcia", "Robinson", "Lewis", "Young",
        "Hernandez", "Lopez", "Scott", "Torres", "Nguyen", "Campbell", "Mitchell", "Roberts", "Phillips", "Evans", "Edwards",
        "Collins", "Stewart", "Morales", "Reyes", "Peterson", "Richardson", "Cox", "Ramirez", "Bennett", "Hughes", "Patel",
        "Jenkins", "Perry", "Sullivan", "Coleman", "Henderson", "Simmons", "Hamilton", "Graham", "Wallace", "Gibson", "Ellis",
        "Murray", "Fernandez", "Kennedy", "Schmidt", "Ferguson", "Dunn", "Hawkins", "Spencer", "Pierce", "Riley", "Lawson",
        "Fitzgerald", "Kowalski", "Schneider", "Yamamoto", "Chowdhury", "Friedman", "Delgado", "Valdez", "McCarthy", "O'Neill",
    ];

    private static readonly string[] RareFamily =
    [
        "Okonkwo", "Abernathy", "Vukovic", "Szczepanski", "Nakagawa", "Oyelaran", "Throckmorton", "Quillfeather", "Balasubramanian",
        "Castellanos", "Dimitriou", "Esterhazy", "Gwynfor", "Haraldsen", "Ilunga", "Jankowicz", "Lindqvist", "Mbeki", "Nwachukwu",
        "Ostrowski", "Papadakis", "Quispe", "Rautenbach", "Takahashi-Moore", "Uchenna", "Valdivieso", "Wojcik", "Yilmaz",
        "Zelenko", "Achterberg", "Brzezinski", "Czajkowski", "Dvorak", "Eszterhas", "Fairbrother", "Grzybowski", "Hakimi",
        "Ivanisevic", "Jaworski", "Kettleborough", "Leszczynski", "Mavromatis", "Nkemelu", "Oduya", "Pietrangeli", "Quaresma",
        "Rzepka", "Sokolowska", "Tomaszewski", "Udeh", "Vanterpool", "Wierzbicki", "Xiao-Ling", "Yevtushenko", "Zborowski",
        "Adeyemi", "Bamidele", "Chukwuma", "Danquah", "Ekwueme", "Fashola", "Gyamfi", "Hollingsworth-Pike", "Isaksen", "Juhasz",
    ];

    private static readonly string[] WordFamily =
    [
        "Brown", "White", "Green", "King", "Hall", "Wood", "Hill", "Stone", "Banks", "Cook", "Baker", "Walker", "Price", "Rice",
        "Wells", "Fox", "Love", "Bell", "Burns", "Black",
    ];

    private static readonly string[] CommonCities =
    [
        "Dayton", "Fresno", "Tucson", "Omaha", "Tulsa", "Akron", "Boise", "Spokane", "Toledo", "Lansing", "Peoria", "Savannah",
        "Knoxville", "Springfield", "Chattanooga", "Wichita", "Albuquerque", "Pittsburgh", "Cincinnati", "Sacramento",
    ];

    private static readonly string[] RareCities =
    [
        "Larkspur Falls", "Eastbrook", "Millbrook Junction", "Cedar Hollow", "Brackenridge", "Quillon", "West Harrowgate",
        "Ashcombe", "Fernvale", "Dunmore Flats", "Kettleby", "Marrowstone", "Pellston Ridge", "Thistlewood", "Oakhaven",
        "Wrenfield", "Stillwater Bend", "Copperton", "Blythedale", "Greywater",
    ];

    private static readonly string[] States = ["IL", "OH", "TX", "CA", "NY", "PA", "GA", "MI", "NC", "WA", "AZ", "TN", "MO", "WI", "CO", "MN", "KY", "OR"];

    private static readonly string[] StateNames = ["Ohio", "Texas", "Illinois", "Georgia", "Michigan", "Oregon", "Kentucky", "Arizona"];

    private static readonly string[] StreetNames =
    [
        "Maple", "Oak", "Cedar", "Elm", "Pine", "Walnut", "Willow", "Birch", "Lincoln", "Jefferson", "Highland", "Lakeview",
        "Sunset", "Meadow", "Hawthorne", "Quarry", "Brookside", "Foxglove", "Larkspur", "Tamarind", "Evergreen", "Juniper",
        "Old Mill", "Cherry Blossom", "Kingfisher", "Ridgecrest", "Wexford", "Ashbury",
    ];

    private static readonly string[] StreetSuffixes =
    ["Street", "St", "St.", "Avenue", "Ave", "Road", "Rd", "Drive", "Dr", "Lane", "Ln", "Court", "Ct", "Boulevard", "Blvd", "Way", "Place", "Terrace", "Circle"];

    private static readonly string[] InstitutionStems =
    [
        "Bramblewood", "Lakeside", "Riverbend", "Harbor View", "Sunrise", "Oakridge", "Northfield", "Silver Creek", "Pinecrest",
        "Meadowbrook", "Cedar Valley", "Summit", "Bayside", "Greenhaven", "Fairmont", "Westbrook", "Kingsbridge", "Stonegate",
    ];

    private static readonly string[] Saints = ["Agnes", "Jude", "Luke's", "Vincent's", "Elizabeth's", "Francis", "Anselm", "Brigid's", "Raphael", "Cecilia's"];

    private static readonly string[] InstitutionHeads =
    [
        "Hospital", "Medical Center", "Regional Medical Center", "General Hospital", "Memorial Hospital", "Clinic", "Hospice",
        "Nursing Home", "Rehabilitation Center", "Health Center", "Community Hospital", "Children's Hospital",
    ];

    private static readonly string[] EmailDomains = ["mailbox.com", "example.net", "postbox.org", "fastmail.com", "inbox.net"];
}
