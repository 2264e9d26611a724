"""A synthetic registry of individuals with planted duplicates, for the duplicate search's test and benchmark.

Each person is written in one of the ways the real registries write Azerbaijani names (Azerbaijani Latin, passport
English, Russian romanisation, Cyrillic). A planted duplicate is the same person registered again with one or two of
the mistakes registries make: a typo, the name in another alphabet or romanisation, the birth date's day and month
swapped, the document left out. The pairs planted are returned with the records: they are the truth the search is
measured against. Same arguments, same registry.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from homecoming.households.dedupe import PersonRecord

# Each name as (Azerbaijani Latin, passport English, Russian romanisation, Cyrillic).
Spellings = tuple[str, str, str, str]
FEMALE_GIVEN: tuple[Spellings, ...] = (
    ("Aydan", "Aydan", "Aidan", "Айдан"), ("Günel", "Gunel", "Gyunel", "Гюнель"), ("Leyla", "Leyla", "Leila", "Лейла"),
    ("Nigar", "Nigar", "Nigyar", "Нигяр"), ("Səbinə", "Sabina", "Sabina", "Сабина"), ("Ülviyyə", "Ulviyya", "Ulviya",
    "Ульвия"), ("Aysel", "Aysel", "Aisel", "Айсель"), ("Cəmilə", "Jamila", "Dzhamila", "Джамиля"), ("Səmirə",
    "Samira", "Samira", "Самира"), ("Xədicə", "Khadija", "Khadidzha", "Хадиджа"), ("Şəbnəm", "Shabnam", "Shabnam",
    "Шабнам"), ("Fatimə", "Fatima", "Fatima", "Фатима"), ("Könül", "Konul", "Kenul", "Кёнуль"), ("Ləman", "Laman",
    "Lyaman", "Ляман"), ("Zəhra", "Zahra", "Zakhra", "Захра"), ("Nərmin", "Narmin", "Narmin", "Нармин"),
)  # fmt: skip
MALE_GIVEN: tuple[Spellings, ...] = (
    ("Elvin", "Elvin", "Elvin", "Эльвин"), ("İlkin", "Ilkin", "Ilkin", "Илькин"), ("Kamran", "Kamran", "Kamran",
    "Камран"), ("Murad", "Murad", "Murad", "Мурад"), ("Orxan", "Orkhan", "Orkhan", "Орхан"), ("Rəşad", "Rashad",
    "Rashad", "Рашад"), ("Tural", "Tural", "Tural", "Турал"), ("Vüqar", "Vugar", "Vugar", "Вугар"), ("Zaur", "Zaur",
    "Zaur", "Заур"), ("Fərid", "Farid", "Farid", "Фарид"), ("Nurlan", "Nurlan", "Nurlan", "Нурлан"), ("Cavid",
    "Javid", "Dzhavid", "Джавид"), ("Şahin", "Shahin", "Shakhin", "Шахин"), ("Xəyal", "Khayal", "Khayal", "Хаял"),
    ("Əli", "Ali", "Ali", "Али"), ("Hüseyn", "Huseyn", "Guseyn", "Гусейн"),
)  # fmt: skip
FAMILY_ROOTS: tuple[Spellings, ...] = (
    ("Əliyev", "Aliyev", "Aliev", "Алиев"), ("Babayev", "Babayev", "Babaev", "Бабаев"), ("Quliyev", "Guliyev",
    "Guliev", "Гулиев"), ("Həsənov", "Hasanov", "Gasanov", "Гасанов"), ("İsmayılov", "Ismayilov", "Ismailov",
    "Исмаилов"), ("Cəfərov", "Jafarov", "Dzhafarov", "Джафаров"), ("Kərimov", "Karimov", "Kerimov", "Керимов"),
    ("Məmmədov", "Mammadov", "Mamedov", "Мамедов"), ("Nəcəfov", "Najafov", "Nadzhafov", "Наджафов"), ("Rzayev",
    "Rzayev", "Rzaev", "Рзаев"), ("Səfərov", "Safarov", "Safarov", "Сафаров"), ("Talıbov", "Talibov", "Talybov",
    "Талыбов"), ("Vəliyev", "Valiyev", "Veliev", "Велиев"), ("Yusifov", "Yusifov", "Yusifov", "Юсифов"), ("Zeynalov",
    "Zeynalov", "Zeinalov", "Зейналов"), ("Xəlilov", "Khalilov", "Khalilov", "Халилов"), ("Hüseynov", "Huseynov",
    "Guseinov", "Гусейнов"), ("Abbasov", "Abbasov", "Abbasov", "Аббасов"), ("Qasımov", "Gasimov", "Kasumov",
    "Касумов"), ("Şükürov", "Shukurov", "Shukurov", "Шукуров"),
)  # fmt: skip
ALPHABET_WEIGHTS = (50, 30, 15, 5)  # how often a registry writes a name in each of the four ways
DOCUMENT_SHARE = 0.85  # people registered with a document number
BORN_FROM, BORN_YEARS = 1935, 90


@dataclass(frozen=True)
class PlantedRegistry:
    people: list[PersonRecord]
    duplicates: set[tuple[int, int]]  # (lower id, higher id) of each planted pair


def planted_registry(
    people: int, *, duplicate_share: float = 0.05, districts: int = 14, seed: int = 0
) -> PlantedRegistry:
    """`people` distinct people over `districts` districts, then `duplicate_share` of them registered once more."""
    rng = random.Random(seed)
    spelled = [_person(i + 1, f"D{rng.randrange(districts) + 1:02d}", rng) for i in range(people)]
    records = [person for person, _ in spelled]
    duplicates: set[tuple[int, int]] = set()
    for original, spellings in rng.sample(spelled, int(people * duplicate_share)):
        copy = _mistaken(replace(original, id=len(records) + 1), spellings, rng)
        records.append(copy)
        duplicates.add((original.id, copy.id))
    rng.shuffle(records)
    return PlantedRegistry(records, duplicates)


def _person(number: int, district: str, rng: random.Random) -> tuple[PersonRecord, tuple[Spellings, Spellings]]:
    female = rng.random() < 0.5
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    roots = rng.choice(FAMILY_ROOTS)
    ending = ("a", "a", "a", "а") if female else ("", "", "", "")  # a woman's: the Latin or the Cyrillic letter
    family: Spellings = (roots[0] + ending[0], roots[1] + ending[1], roots[2] + ending[2], roots[3] + ending[3])
    way = rng.choices(range(4), weights=ALPHABET_WEIGHTS)[0]
    born = dt.date(BORN_FROM, 1, 1) + dt.timedelta(days=rng.randrange(BORN_YEARS * 365))
    document = f"AZE{rng.randrange(10**8):08d}" if rng.random() < DOCUMENT_SHARE else None
    sex = "female" if female else "male"
    return PersonRecord(number, district, given[way], family[way], born, sex, document), (given, family)


def _mistaken(person: PersonRecord, spellings: tuple[Spellings, Spellings], rng: random.Random) -> PersonRecord:
    """The person registered again, with one or two of the registry's usual mistakes."""
    mistakes = ("typo", "spelling", "swapped", "document")
    for mistake in rng.sample(mistakes, rng.choice((1, 1, 2))):
        if mistake == "typo":
            person = _typo(person, rng)
        elif mistake == "spelling":
            way = rng.randrange(4)
            person = replace(person, given_name=spellings[0][way], family_name=spellings[1][way])
        elif mistake == "swapped":
            person = _swapped_day_month(person)
        else:
            person = replace(person, document_number=None)
    return person


def _typo(person: PersonRecord, rng: random.Random) -> PersonRecord:
    field = rng.choice(("given_name", "family_name"))
    name: str = getattr(person, field)
    at = rng.randrange(1, len(name) - 1)
    edits = (
        name[:at] + name[at + 1 :],  # a letter left out
        name[:at] + name[at + 1] + name[at] + name[at + 2 :],  # two letters swapped
        name[:at] + rng.choice("aeiou") + name[at + 1 :],  # a wrong vowel
    )
    typed = rng.choice(edits)
    return replace(person, given_name=typed) if field == "given_name" else replace(person, family_name=typed)


def _swapped_day_month(person: PersonRecord) -> PersonRecord:
    born = person.birth_date
    if born.day > 12 or born.day == born.month:
        return replace(person, document_number=None)  # not swappable: the document left out instead
    return replace(person, birth_date=born.replace(month=born.day, day=born.month))
