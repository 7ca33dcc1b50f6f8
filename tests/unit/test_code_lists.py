from safeguard.domain.codes import is_country, load_code_lists


def test_code_lists_load_with_the_published_sizes() -> None:
    codes = load_code_lists()
    assert len(codes.ethnicity_ons2021.codes()) == 19
    assert len(codes.ethnicity_police.codes()) == 19  # 18 + not stated
    assert "IC9" in codes.ethnicity_observed
    assert len(codes.areas) == 10


def test_every_police_code_maps_to_ons_or_is_not_stated() -> None:
    codes = load_code_lists()
    for code, row in codes.ethnicity_police.extra.items():
        if code == "NS":
            continue
        for ons in row["ons2021_codes"].split(";"):
            assert ons in codes.ethnicity_ons2021


def test_agencies_cover_every_area_and_kind() -> None:
    codes = load_code_lists()
    kinds = {a.kind for a in codes.agencies.values()}
    assert kinds == {"police", "csc", "health", "education", "licensing", "mash", "immigration"}
    assert "MASH-E08000018" in codes.agencies
    national = codes.agencies["IE-HO"]
    assert (national.kind, national.la_code, national.force_code) == ("immigration", None, None)


def test_countries_come_from_pycountry() -> None:
    assert is_country("PAK") and is_country("GBR")
    assert not is_country("XXX") and not is_country("GB")
