"""IIIF: Presentation 3 manifests, the Image API 3 service and tile pyramids."""
