/**
 * What a CyberTipline report and its file details say, as plain data. The
 * builder (xml.ts) turns these into NCMEC's XML in the schema's order; the
 * service assembles them from a confirmed case, the platform's account
 * details and the evidence vault's files.
 */

/** NCMEC's incident types (the schema's enumeration, verbatim). */
export const incidentTypes = [
  "Child Pornography (possession, manufacture, and distribution)",
  "Child Sex Trafficking",
  "Child Sex Tourism",
  "Child Sexual Molestation",
  "Misleading Domain Name",
  "Misleading Words or Digital Images on the Internet",
  "Online Enticement of Children for Sexual Acts",
  "Unsolicited Obscene Material Sent to a Child",
] as const;
export type IncidentType = (typeof incidentTypes)[number];

export const captureEventNames = ["Login", "Registration", "Purchase", "Upload", "Other", "Unknown"] as const;
export type CaptureEventName = (typeof captureEventNames)[number];

export const industryClassifications = ["A1", "A2", "B1", "B2"] as const;
export type IndustryClassification = (typeof industryClassifications)[number];

/** Report annotations, in the schema's order. */
export const reportAnnotations = ["sextortion", "csamSolicitation", "minorToMinorInteraction", "spam", "sadisticOnlineExploitation"] as const;
export type ReportAnnotation = (typeof reportAnnotations)[number];

/** File annotations, in the schema's order. */
export const fileAnnotations = [
  "animeDrawingVirtualHentai",
  "potentialMeme",
  "viral",
  "possibleSelfProduction",
  "physicalHarm",
  "violenceGore",
  "bestiality",
  "liveStreaming",
  "infant",
  "generativeAi",
] as const;
export type FileAnnotation = (typeof fileAnnotations)[number];

export interface IpCaptureEvent {
  ipAddress: string;
  eventName?: CaptureEventName;
  /** ISO-8601. */
  dateTime?: string;
  possibleProxy?: boolean;
  port?: number;
}

export interface EmailAddress {
  address: string;
  type?: "Home" | "Work" | "Business" | "Recovery";
  verified?: boolean;
}

/** The reporting company's person (from configuration). */
export interface ReporterInput {
  firstName?: string;
  lastName?: string;
  email: string;
  companyTemplate?: string;
  termsOfService?: string;
  legalUrl?: string;
}

/** The account reported: Lapwing knows its id, the platform the rest (account details callback). */
export interface ReportedUserInput {
  espIdentifier: string;
  espService?: string;
  screenName?: string;
  displayNames?: string[];
  profileUrls?: string[];
  emails?: EmailAddress[];
  ipCaptureEvents?: IpCaptureEvent[];
  additionalInfo?: string;
}

export interface VictimInput {
  espIdentifier?: string;
  screenName?: string;
  /** Age in years when known (an age band gives none). */
  age?: number;
  additionalInfo?: string;
}

export interface ReportInput {
  incidentType: IncidentType;
  /** The platform's name, as NCMEC should show it. */
  platform?: string;
  /** Text only when the report is urgent (an ongoing risk to a child); absent otherwise. */
  escalateToHighPriority?: string;
  annotations?: ReportAnnotation[];
  /** ISO-8601; when the incident happened (the earliest content in the case). */
  incidentDateTime: string;
  incidentDateTimeDescription?: string;
  /** Where the content was (its pages on the platform). */
  urls?: string[];
  reporter: ReporterInput;
  reportedUser?: ReportedUserInput;
  victims?: VictimInput[];
  additionalInfo?: string;
}

export interface FileHash {
  /** `MD5`, `SHA256`, `PDQ`, ... */
  hashType: string;
  value: string;
}

export interface FileDetailsInput {
  reportId: string;
  fileId: string;
  originalFileName?: string;
  uploadedAt?: string;
  locationOfFile?: string;
  /** Whether someone at the provider viewed the whole file (not just a hash match). */
  fileViewedByEsp?: boolean;
  exifViewedByEsp?: boolean;
  publiclyAvailable?: boolean;
  fileRelevance?: "Reported" | "Supplemental Reported";
  annotations?: FileAnnotation[];
  industryClassification?: IndustryClassification;
  hashes?: FileHash[];
  uploadIp?: IpCaptureEvent;
  additionalInfo?: string[];
}
