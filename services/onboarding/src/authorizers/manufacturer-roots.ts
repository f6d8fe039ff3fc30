/** Manufacturer (IEEE 802.1AR IDevID) roots: trust anchors from EST_MANUFACTURER_ROOTS_DIR. */
export { TrustAnchors as ManufacturerRoots, idevidSerial } from '@iis/pki';
