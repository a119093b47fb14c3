# nt/nt.mk - the Windows backend for the memory-list commands (issue: the
# Windows backend). Its rules and the nt-test target arrive with it.
nt-test:
	@echo "nt: the Windows backend is not built yet; no nt tests"
