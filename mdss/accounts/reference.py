"""Reference data of accounts, found by ``core.reference`` (``load_reference_data``)."""


def load_reference_data() -> dict[str, object]:
    from .services import region_seed_reference

    return {"regions added": region_seed_reference()}
