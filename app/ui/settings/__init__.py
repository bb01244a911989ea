"""Settings of this workstation and its counter."""
