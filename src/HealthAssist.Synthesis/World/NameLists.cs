namespace HealthAssist.Synthesis.World;

/// <summary>Common given names, family names and places (public, generic lists) for PHI-like identities.</summary>
internal static class NameLists
{
    public static readonly string[] FemaleGiven =
    [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Betty",
        "Margaret", "Sandra", "Ashley", "Dorothy", "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah",
        "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy", "Shirley", "Angela", "Helen", "Anna", "Brenda", "Pamela",
        "Nicole", "Ruth", "Katherine", "Samantha", "Christine", "Emma", "Catherine", "Virginia", "Rachel", "Carolyn", "Janet", "Maria",
        "Rose", "Joy", "Hope", "Grace", "June", "Iris", "Olive", "Pearl", "Ruby", "Dawn",
    ];

    public static readonly string[] MaleGiven =
    [
        "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles", "Christopher", "Daniel",
        "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy",
        "Ronald", "Edward", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin",
        "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Frank", "Raymond", "Alexander", "Patrick", "Jack", "Dennis", "Jerry",
        "Will", "Mason", "Hunter", "Carter", "Bill", "Cliff", "Dale", "Glen", "Miles", "Wade",
    ];

    public static readonly string[] Family =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
        "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
        "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kowalski",
        "Nakamura", "Okafor", "Haddad", "Novak", "Brooks", "Gray", "Stone", "Fields", "Rivers", "Wood", "Bush", "Cook", "Price",
    ];

    public static readonly (string City, string State, string Zip3)[] Places =
    [
        ("Springfield", "IL", "627"), ("Riverside", "CA", "925"), ("Franklin", "TN", "370"), ("Greenville", "SC", "296"),
        ("Madison", "WI", "537"), ("Salem", "OR", "973"), ("Georgetown", "TX", "786"), ("Clinton", "IA", "527"), ("Fairview", "PA", "165"),
        ("Bristol", "CT", "060"), ("Dover", "DE", "199"), ("Arlington", "VA", "222"), ("Burlington", "VT", "054"), ("Ashland", "KY", "411"),
        ("Milton", "MA", "021"), ("Newport", "RI", "028"), ("Oxford", "MS", "386"), ("Lexington", "NE", "688"),
    ];

    public static readonly string[] Streets =
    [
        "Maple Street", "Oak Avenue", "Cedar Lane", "Pine Road", "Elm Street", "Washington Avenue", "Lake Drive", "Hill Road",
        "Park Place", "Church Street", "Mill Road", "Sunset Boulevard", "River Road", "Meadow Lane", "Forest Drive",
    ];

    public static readonly string[] Hospitals =
    [
        "St Elsewhere General Hospital", "Mercy Regional Medical Center", "Lakeside Community Hospital", "Valley View Medical Center",
        "Good Samaritan Hospital", "Riverbend University Hospital",
    ];

    public static readonly string[] Clinicians =
    [
        "Dr Amelia Hart", "Dr Victor Okonkwo", "Dr Priya Raman", "Dr Lukas Brenner", "Dr Sofia Marquez", "Dr Henry Tanaka", "Dr Grace Whitfield",
    ];
}
