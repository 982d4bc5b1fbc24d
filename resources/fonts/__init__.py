"""The bundled UI font, Inter 4.1 (SIL Open Font License 1.1, OFL.txt), so that diagrams
and exports look the same on every machine."""
