from setuptools import find_packages, setup

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
        "notebooks": ["jupytext", "nbformat", "nbclient", "ipykernel"],
        "test": ["pytest", "jupytext", "nbformat", "nbclient", "ipykernel"],
    },
    entry_points={"console_scripts": ["manual-ae=manual_ae.cli:main"]},
)
