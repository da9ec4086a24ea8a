"""Reference data every installation needs; each loader only adds what is missing."""


def load_reference_data() -> dict[str, object]:
    from mdss.accounts.services import region_seed_reference
    from mdss.calendars.services import calendar_load_statutory, policy_load_default

    return {
        "regions added": region_seed_reference(),
        "calendar years added": calendar_load_statutory(),
        "default policy created": policy_load_default(),
    }
