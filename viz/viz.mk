# viz/viz.mk - mmviz, the SDL2 visualizer. Its rules and the viz-test target
# arrive with it.
viz-test:
	@echo "viz: mmviz is not built yet; no viz tests"
