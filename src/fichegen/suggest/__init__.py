"""What an editor probably meant by a value a field refused: readers of countries, languages and currencies
(codes), dates, numbers, role and status words (synonyms) and references to fiches and terms (references).

Each reader returns a Guess and never decides what a field accepts: field_errors keeps only the readings
the field's own type validates."""
