"""The Qt user interface: windows, wizard pages and the infrastructure under them."""
