"""`counter hall`: the hall's settings, tariff and counters (`hall.py`; printing: `show.py`)."""
