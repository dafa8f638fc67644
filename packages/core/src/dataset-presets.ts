import type { ReadDelimitedOptions } from "./read-delimited.js";

/**
 * Ready-made `readDelimited` options for published crime extracts. Spread one and override
 * what differs: `readDelimited(text, { ...VANCOUVER_VPD, bounds: [...] })`. Each names its
 * schema's columns, the zone its wall-clock times are in, its date pattern, CRS and quirks.
 * They are plain data (no functions), frozen.
 */
function preset(options: ReadDelimitedOptions): ReadDelimitedOptions {
  const freeze = (o: object) => {
    Object.freeze(o);
    for (const v of Object.values(o)) if (v !== null && typeof v === "object" && !Object.isFrozen(v)) freeze(v);
  };
  freeze(options);
  return options;
}

/**
 * Chicago PD aggravated assaults as harmonised by the Crime Open Database (CODE) in
 * `mpjashby/crimemappingdata` (`date, loc_cat, longitude, latitude, district`): `date` is
 * local Chicago wall-clock `yyyy-MM-dd HH:mm`; every row is an aggravated assault (NIBRS 13A),
 * so the category is a constant; the location category (street, residence, …) goes to
 * `subcategory`. Points are projected to UTM 16N (`"auto"` picks it from the first point).
 */
export const CHICAGO_CODE: ReadDelimitedOptions = preset({
  columns: {
    source: { value: "police-recorded-crime" },
    category: { value: "aggravated-assault" },
    subcategory: "loc_cat",
    date: "date",
    lon: "longitude",
    lat: "latitude",
    district: "district",
  },
  dateFormat: "yyyy-MM-dd HH:mm",
  zone: "America/Chicago",
});

/** Vancouver PD crime types (GeoDASH `TYPE`) → category keys. */
export const VANCOUVER_VPD_CATEGORIES: Readonly<Record<string, string>> = Object.freeze({
  "Break and Enter Commercial": "break-and-enter-commercial",
  "Break and Enter Residential/Other": "break-and-enter-residential",
  "Homicide": "homicide",
  "Mischief": "mischief",
  "Offence Against a Person": "offence-against-a-person",
  "Other Theft": "other-theft",
  "Theft from Vehicle": "theft-from-vehicle",
  "Theft of Bicycle": "theft-of-bicycle",
  "Theft of Vehicle": "theft-of-vehicle",
  "Vehicle Collision or Pedestrian Struck (with Fatality)": "vehicle-collision-fatality",
  "Vehicle Collision or Pedestrian Struck (with Injury)": "vehicle-collision-injury",
});

/**
 * Vancouver PD GeoDASH open data (`TYPE, YEAR, MONTH, DAY, HOUR, MINUTE, HUNDRED_BLOCK,
 * NEIGHBOURHOOD, X, Y`): time in separate columns (local Vancouver time, minute precision);
 * X/Y already in UTM 10N metres (EPSG:32610), so lon/lat come from the inverse projection;
 * the hundred block is the location and the neighbourhood the district. Offences against a
 * person and homicides have their time set to 00:00 and X = Y = 0 with `HUNDRED_BLOCK` =
 * `OFFSET TO PROTECT PRIVACY`: those rows are rejected as `suppressed`, so they make no false
 * midnight or null-island peak but stay counted in the reconciliation.
 */
export const VANCOUVER_VPD: ReadDelimitedOptions = preset({
  columns: {
    source: { value: "police-recorded-crime" },
    category: "TYPE",
    dateParts: { year: "YEAR", month: "MONTH", day: "DAY", hour: "HOUR", minute: "MINUTE" },
    x: "X",
    y: "Y",
    location: "HUNDRED_BLOCK",
    district: "NEIGHBOURHOOD",
  },
  categoryMap: VANCOUVER_VPD_CATEGORIES,
  crs: "EPSG:32610",
  zone: "America/Vancouver",
  suppressedWhen: { field: "HUNDRED_BLOCK", equals: "OFFSET TO PROTECT PRIVACY" },
});

/**
 * Memphis PD personal robberies from the Crime Open Database as shipped in
 * `mpjashby/sfhotspot` (`uid, offense_type, date, longitude, latitude`): `date` is local
 * Memphis (US Central) wall-clock `yyyy-MM-dd HH:mm:ss`; `uid` is the id.
 */
export const MEMPHIS_CODE: ReadDelimitedOptions = preset({
  columns: {
    id: "uid",
    source: { value: "police-recorded-crime" },
    category: "offense_type",
    date: "date",
    lon: "longitude",
    lat: "latitude",
  },
  categoryMap: { "personal robbery": "personal-robbery" },
  dateFormat: "yyyy-MM-dd HH:mm:ss",
  zone: "America/Chicago",
});

/**
 * Cincinnati PD burglaries in `mpjashby/crimemappingdata` (`incident_no, offense_date,
 * offense, longitude, latitude`). `offense_date` looks like `2017-05-25T00:00:00Z` but the
 * `Z` is false — it is local Cincinnati time — so the pattern reads the `Z` as a literal.
 * Missing coordinates are written `NA`. One row per offence or victim: `dedupe: "first"`
 * keeps the first row of each `incident_no` and rejects the rest as `duplicate-id`.
 */
export const CINCINNATI_PDI: ReadDelimitedOptions = preset({
  columns: {
    id: "incident_no",
    source: { value: "police-recorded-crime" },
    category: "offense",
    date: "offense_date",
    lon: "longitude",
    lat: "latitude",
  },
  categoryMap: { "BURGLARY": "burglary", "AGGRAVATED BURGLARY": "aggravated-burglary" },
  dateFormat: "yyyy-MM-dd'T'HH:mm:ss'Z'",
  zone: "America/New_York",
  dedupe: "first",
});

/**
 * Denver PD offences (the open-data `crime.csv` schema): occurrence windows from
 * `FIRST_OCCURRENCE_DATE` to `LAST_OCCURRENCE_DATE` (`M/d/yyyy h:mm:ss a`, local Denver
 * time; the window is `[first, last + 1 minute)`, or the first minute alone when LAST is
 * blank), category and type slugs, address, district, precinct (as `beat`) and
 * neighbourhood (as `ward`). `GEO_X`/`GEO_Y` are State Plane feet, so `GEO_LON`/`GEO_LAT` are
 * used; points near 0,0 are rejected as `null-island`.
 */
export const DENVER_PD: ReadDelimitedOptions = preset({
  columns: {
    id: "INCIDENT_ID",
    source: { value: "police-recorded-crime" },
    category: "OFFENSE_CATEGORY_ID",
    subcategory: "OFFENSE_TYPE_ID",
    date: "FIRST_OCCURRENCE_DATE",
    endDate: "LAST_OCCURRENCE_DATE",
    lon: "GEO_LON",
    lat: "GEO_LAT",
    location: "INCIDENT_ADDRESS",
    district: "DISTRICT_ID",
    beat: "PRECINCT_ID",
    ward: "NEIGHBORHOOD_ID",
  },
  dateFormat: "M/d/yyyy h:mm:ss a",
  zone: "America/Denver",
});

/**
 * police.uk anti-social behaviour trimmed by `mpjashby/crimemappingdata` (`lancashire_asb.tab`,
 * `northumbria_asb.tab`: tab-separated `month, longitude, latitude, location, lsoa_code`).
 * `month` is written `2022-01-01` but only the month is meaningful, so windows are whole
 * months (`precision: "month"`); points go to British National Grid; a location reading just
 * `On or near` becomes `null` (counted in `notes.blankStreet`).
 */
export const POLICE_UK_ASB_TAB: ReadDelimitedOptions = preset({
  columns: {
    source: { value: "asb-incident" },
    category: { value: "anti-social-behaviour" },
    date: "month",
    lon: "longitude",
    lat: "latitude",
    location: "location",
    lsoa: "lsoa_code",
  },
  delimiter: "\t",
  dateFormat: "yyyy-MM-dd",
  precision: "month",
  crs: "EPSG:27700",
  zone: "Europe/London",
});
