"""Host-side tools: the `cloudpin` command line and what it runs."""
