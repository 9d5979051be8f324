"""Source documents as text: finding quoted passages, cutting sentences, measuring coverage."""
