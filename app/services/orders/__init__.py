"""Service orders: recording, numbering, drafts and their papers."""
