/*
 * Every test worker resolves upstream release files offline: CrdSource.fromRelease (the default
 * CRD source) reads the mirror named by TOOLHIVE_UPSTREAM_DIR, here the verified releases that
 * the global setup fetched into the cache. Tests of the download path unset it themselves.
 */
import { RELEASES_DIR } from './upstream';

process.env.TOOLHIVE_UPSTREAM_DIR = RELEASES_DIR;
