//! The words a release uses in each language briefkit reads (English,
//! Spanish): contact headings, attribution phrases, percent words.

pub(crate) struct Language {
    pub(crate) code: &'static str,
    pub(crate) contact: &'static [&'static str],
    pub(crate) according: &'static [&'static str],
    pub(crate) verbs: &'static [&'static str],
    pub(crate) percent: &'static [&'static str],
    pub(crate) yearly: &'static [&'static str],
    pub(crate) stop: &'static [&'static str],
    pub(crate) total: &'static [&'static str],
}

pub(crate) const EN: Language = Language {
    code: "en",
    contact: &[
        "for more information, please contact",
        "for more information contact",
        "media contact",
        "for further information",
    ],
    according: &["according to "],
    verbs: &[
        "reports that",
        "confirms that",
        "estimates that",
        "says that",
        "states that",
        "found that",
        "finds that",
        "shows that",
        "indicates that",
    ],
    percent: &[" per cent", " percent", "%"],
    yearly: &["each year", "every year", "a year", "per year", "annually"],
    stop: &[" while ", " whereas ", ",", ";", ".", " but "],
    total: &["of this total", "of these", "of them", "of those"],
};

pub(crate) const ES: Language = Language {
    code: "es",
    contact: &[
        "para más información",
        "para mayor información",
        "contacto de prensa",
    ],
    according: &["según ", "de acuerdo con "],
    verbs: &[
        "informa que",
        "confirma que",
        "estima que",
        "señala que",
        "indica que",
        "reporta que",
        "afirma que",
    ],
    percent: &[" por ciento", "%"],
    yearly: &["cada año", "al año", "por año", "anualmente"],
    stop: &[" mientras ", ",", ";", ".", " pero "],
    total: &["de este total", "de ellos", "de estos", "de ellas"],
};

pub(crate) fn detect_language(text: &str) -> &'static Language {
    let lower = text.to_lowercase();
    let score = |words: &[&str]| {
        words
            .iter()
            .map(|w| lower.matches(w).count())
            .sum::<usize>()
    };
    let es = score(&[
        " el ",
        " los ",
        " las ",
        " de ",
        " que ",
        " según ",
        " por ciento",
    ]);
    let en = score(&[
        " the ",
        " of ",
        " and ",
        " that ",
        " according ",
        " per cent",
    ]);
    if es > en {
        &ES
    } else {
        &EN
    }
}
