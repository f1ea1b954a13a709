# No history database: the test profile must not write files into the checkout.
c = get_config()  # noqa: F821
c.HistoryManager.enabled = False
