from setuptools import find_packages, setup

NOTEBOOKS = ["jupytext", "nbformat", "nbclient", "ipykernel"]
SITE = ["mkdocs>=1.6,<1.7", "mkdocs-material>=9.8,<9.9", "mkdocs-jupyter>=0.26,<0.27"] + NOTEBOOKS

setup(
    name="manual_ae",
    version="0.1.0",
    description="Autoencoders from five posts with hand-written backpropagation, each gradient checked",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["manual_ae", "manual_ae.*"]),
    python_requires=">=3.9",
    install_requires=["tensorflow>=2.16", "numpy", "matplotlib", "imageio", "pillow", "mlxtend", "tqdm"],
    extras_require={
        # `manual-ae notebooks`: the walkthroughs as .ipynb; --execute runs them in a Jupyter kernel
        "notebooks": NOTEBOOKS,
        # `manual-ae site`: the course website, built offline (versions pinned: mkdocs-material 9.x is the last
        # line of its kind; the sources stay plain Markdown and notebooks)
        "site": SITE,
        "test": ["pytest", "pytest-xdist", "playwright"] + SITE,
    },
    entry_points={"console_scripts": ["manual-ae=manual_ae.cli:main"]},
)
