//! The vocabulary of synthetic series: statistical topics and title qualifiers.

use super::frequency::Frequency;

/// A statistical topic a synthetic series can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Topic {
    /// Title stem, e.g. `Hospital waiting times`.
    pub name: &'static str,
    /// How often series on this topic are usually published.
    pub frequency: Frequency,
    /// Market-sensitive topics go out at 07:00 and carry the highest weight.
    pub market_sensitive: bool,
}

const fn topic(name: &'static str, frequency: Frequency, market_sensitive: bool) -> Topic {
    Topic {
        name,
        frequency,
        market_sensitive,
    }
}

/// Topics modelled on the range of a large UK statistics producer's calendar.
pub(super) const TOPICS: &[Topic] = &[
    topic("Labour market overview", Frequency::Monthly, true),
    topic("Consumer price inflation", Frequency::Monthly, true),
    topic("Retail sales", Frequency::Monthly, true),
    topic("GDP monthly estimate", Frequency::Monthly, true),
    topic("Public sector finances", Frequency::Monthly, true),
    topic("House price index", Frequency::Monthly, false),
    topic("Hospital waiting times", Frequency::Monthly, false),
    topic(
        "Emergency department attendances",
        Frequency::Monthly,
        false,
    ),
    topic(
        "Prescriptions dispensed in the community",
        Frequency::Monthly,
        false,
    ),
    topic("Mental health services", Frequency::Monthly, false),
    topic("Health and care workforce", Frequency::Monthly, false),
    topic("Benefit claimants", Frequency::Monthly, false),
    topic("Agricultural price indices", Frequency::Monthly, false),
    topic("Road fuel sales", Frequency::Monthly, false),
    topic("Business investment", Frequency::Quarterly, false),
    topic("Crime", Frequency::Quarterly, false),
    topic(
        "Long-term international migration",
        Frequency::Quarterly,
        false,
    ),
    topic("Energy trends", Frequency::Quarterly, false),
    topic("Statutory homelessness", Frequency::Quarterly, false),
    topic("Prison population", Frequency::Quarterly, false),
    topic("Criminal court statistics", Frequency::Quarterly, false),
    topic("Overseas travel and tourism", Frequency::Quarterly, false),
    topic("Rail passenger journeys", Frequency::Quarterly, false),
    topic("Cancer waiting times", Frequency::Quarterly, false),
    topic(
        "Delayed discharges from hospital",
        Frequency::Quarterly,
        false,
    ),
    topic("Children looked after", Frequency::Quarterly, false),
    topic("Fuel poverty", Frequency::Annual, false),
    topic("Households below average income", Frequency::Annual, false),
    topic(
        "Schools, pupils and their characteristics",
        Frequency::Annual,
        false,
    ),
    topic("Further education outcomes", Frequency::Annual, false),
    topic("Reported road casualties", Frequency::Annual, false),
    topic("Net additional dwellings", Frequency::Annual, false),
    topic("Business demography", Frequency::Annual, false),
    topic("Family food", Frequency::Annual, false),
    topic("Greenhouse gas emissions", Frequency::Annual, false),
    topic(
        "Adult social care activity and finance",
        Frequency::Annual,
        false,
    ),
    topic(
        "Hospital admitted patient care activity",
        Frequency::Annual,
        false,
    ),
    topic("Air quality", Frequency::Annual, false),
];

/// Qualifiers that tell apart several series on one topic.
pub(super) const QUALIFIERS: &[&str] = &[
    "",
    ", England",
    ", Wales",
    " by local authority",
    " by region",
    " (official statistics in development)",
    " (supplementary tables)",
];
