c = get_config()  # noqa: F821
c.HistoryManager.enabled = False
