// Code generated from the error code lists in shared/stripe/v1_requirements.md
// (section 7, 97 codes, stripe-node 66394216 / stripe-go a1e3932f) and
// v2_account_requirements.md (section 4, the 7 v2-only codes). DO NOT EDIT by hand:
// regenerate with the script in testdata/codes/README.md.

package requirements

// Stripe's requirement error codes (errors[].code): every code of the v1
// list (account and capability hashes) and the v2-only ones. Stripe adds
// codes continually; an ErrorCode not listed here is kept verbatim.
const (
	// CodeExternalRequest is "external_request" (v1 only).
	CodeExternalRequest ErrorCode = "external_request"
	// CodeInformationMissing is "information_missing" (v1 only).
	CodeInformationMissing ErrorCode = "information_missing"
	// CodeInvalidAddressCityStatePostalCode is "invalid_address_city_state_postal_code" (v1, v2).
	CodeInvalidAddressCityStatePostalCode ErrorCode = "invalid_address_city_state_postal_code"
	// CodeInvalidAddressHighwayContractBox is "invalid_address_highway_contract_box" (v1, v2).
	CodeInvalidAddressHighwayContractBox ErrorCode = "invalid_address_highway_contract_box"
	// CodeInvalidAddressPrivateMailbox is "invalid_address_private_mailbox" (v1, v2).
	CodeInvalidAddressPrivateMailbox ErrorCode = "invalid_address_private_mailbox"
	// CodeInvalidBusinessProfileName is "invalid_business_profile_name" (v1, v2).
	CodeInvalidBusinessProfileName ErrorCode = "invalid_business_profile_name"
	// CodeInvalidBusinessProfileNameDenylisted is "invalid_business_profile_name_denylisted" (v1, v2).
	CodeInvalidBusinessProfileNameDenylisted ErrorCode = "invalid_business_profile_name_denylisted"
	// CodeInvalidCompanyNameDenylisted is "invalid_company_name_denylisted" (v1, v2).
	CodeInvalidCompanyNameDenylisted ErrorCode = "invalid_company_name_denylisted"
	// CodeInvalidDOBAgeOverMaximum is "invalid_dob_age_over_maximum" (v1, v2).
	CodeInvalidDOBAgeOverMaximum ErrorCode = "invalid_dob_age_over_maximum"
	// CodeInvalidDOBAgeUnder18 is "invalid_dob_age_under_18" (v1, v2).
	CodeInvalidDOBAgeUnder18 ErrorCode = "invalid_dob_age_under_18"
	// CodeInvalidDOBAgeUnderMinimum is "invalid_dob_age_under_minimum" (v1, v2).
	CodeInvalidDOBAgeUnderMinimum ErrorCode = "invalid_dob_age_under_minimum"
	// CodeInvalidProductDescriptionLength is "invalid_product_description_length" (v1, v2).
	CodeInvalidProductDescriptionLength ErrorCode = "invalid_product_description_length"
	// CodeInvalidProductDescriptionURLMatch is "invalid_product_description_url_match" (v1, v2).
	CodeInvalidProductDescriptionURLMatch ErrorCode = "invalid_product_description_url_match"
	// CodeInvalidRepresentativeCountry is "invalid_representative_country" (v1, v2).
	CodeInvalidRepresentativeCountry ErrorCode = "invalid_representative_country"
	// CodeInvalidSignator is "invalid_signator" (v1 only).
	CodeInvalidSignator ErrorCode = "invalid_signator"
	// CodeInvalidStatementDescriptorBusinessMismatch is "invalid_statement_descriptor_business_mismatch" (v1, v2).
	CodeInvalidStatementDescriptorBusinessMismatch ErrorCode = "invalid_statement_descriptor_business_mismatch"
	// CodeInvalidStatementDescriptorDenylisted is "invalid_statement_descriptor_denylisted" (v1, v2).
	CodeInvalidStatementDescriptorDenylisted ErrorCode = "invalid_statement_descriptor_denylisted"
	// CodeInvalidStatementDescriptorLength is "invalid_statement_descriptor_length" (v1, v2).
	CodeInvalidStatementDescriptorLength ErrorCode = "invalid_statement_descriptor_length"
	// CodeInvalidStatementDescriptorPrefixDenylisted is "invalid_statement_descriptor_prefix_denylisted" (v1, v2).
	CodeInvalidStatementDescriptorPrefixDenylisted ErrorCode = "invalid_statement_descriptor_prefix_denylisted"
	// CodeInvalidStatementDescriptorPrefixMismatch is "invalid_statement_descriptor_prefix_mismatch" (v1, v2).
	CodeInvalidStatementDescriptorPrefixMismatch ErrorCode = "invalid_statement_descriptor_prefix_mismatch"
	// CodeInvalidStreetAddress is "invalid_street_address" (v1, v2).
	CodeInvalidStreetAddress ErrorCode = "invalid_street_address"
	// CodeInvalidTaxID is "invalid_tax_id" (v1, v2).
	CodeInvalidTaxID ErrorCode = "invalid_tax_id"
	// CodeInvalidTaxIDFormat is "invalid_tax_id_format" (v1, v2).
	CodeInvalidTaxIDFormat ErrorCode = "invalid_tax_id_format"
	// CodeInvalidTOSAcceptance is "invalid_tos_acceptance" (v1, v2).
	CodeInvalidTOSAcceptance ErrorCode = "invalid_tos_acceptance"
	// CodeInvalidURLDenylisted is "invalid_url_denylisted" (v1, v2).
	CodeInvalidURLDenylisted ErrorCode = "invalid_url_denylisted"
	// CodeInvalidURLFormat is "invalid_url_format" (v1, v2).
	CodeInvalidURLFormat ErrorCode = "invalid_url_format"
	// CodeInvalidURLLength is "invalid_url_length" (v1 only). The SDKs list it; the GA spec does not.
	CodeInvalidURLLength ErrorCode = "invalid_url_length"
	// CodeInvalidURLWebPresenceDetected is "invalid_url_web_presence_detected" (v1, v2).
	CodeInvalidURLWebPresenceDetected ErrorCode = "invalid_url_web_presence_detected"
	// CodeInvalidURLWebsiteBusinessInformationMismatch is "invalid_url_website_business_information_mismatch" (v1, v2).
	CodeInvalidURLWebsiteBusinessInformationMismatch ErrorCode = "invalid_url_website_business_information_mismatch"
	// CodeInvalidURLWebsiteEmpty is "invalid_url_website_empty" (v1, v2).
	CodeInvalidURLWebsiteEmpty ErrorCode = "invalid_url_website_empty"
	// CodeInvalidURLWebsiteInaccessible is "invalid_url_website_inaccessible" (v1, v2).
	CodeInvalidURLWebsiteInaccessible ErrorCode = "invalid_url_website_inaccessible"
	// CodeInvalidURLWebsiteInaccessibleGeoblocked is "invalid_url_website_inaccessible_geoblocked" (v1, v2).
	CodeInvalidURLWebsiteInaccessibleGeoblocked ErrorCode = "invalid_url_website_inaccessible_geoblocked"
	// CodeInvalidURLWebsiteInaccessiblePasswordProtected is "invalid_url_website_inaccessible_password_protected" (v1, v2).
	CodeInvalidURLWebsiteInaccessiblePasswordProtected ErrorCode = "invalid_url_website_inaccessible_password_protected"
	// CodeInvalidURLWebsiteIncomplete is "invalid_url_website_incomplete" (v1, v2).
	CodeInvalidURLWebsiteIncomplete ErrorCode = "invalid_url_website_incomplete"
	// CodeInvalidURLWebsiteIncompleteCancellationPolicy is "invalid_url_website_incomplete_cancellation_policy" (v1, v2).
	CodeInvalidURLWebsiteIncompleteCancellationPolicy ErrorCode = "invalid_url_website_incomplete_cancellation_policy"
	// CodeInvalidURLWebsiteIncompleteCustomerServiceDetails is "invalid_url_website_incomplete_customer_service_details" (v1, v2).
	CodeInvalidURLWebsiteIncompleteCustomerServiceDetails ErrorCode = "invalid_url_website_incomplete_customer_service_details"
	// CodeInvalidURLWebsiteIncompleteLegalRestrictions is "invalid_url_website_incomplete_legal_restrictions" (v1, v2).
	CodeInvalidURLWebsiteIncompleteLegalRestrictions ErrorCode = "invalid_url_website_incomplete_legal_restrictions"
	// CodeInvalidURLWebsiteIncompleteRefundPolicy is "invalid_url_website_incomplete_refund_policy" (v1, v2).
	CodeInvalidURLWebsiteIncompleteRefundPolicy ErrorCode = "invalid_url_website_incomplete_refund_policy"
	// CodeInvalidURLWebsiteIncompleteReturnPolicy is "invalid_url_website_incomplete_return_policy" (v1, v2).
	CodeInvalidURLWebsiteIncompleteReturnPolicy ErrorCode = "invalid_url_website_incomplete_return_policy"
	// CodeInvalidURLWebsiteIncompleteTermsAndConditions is "invalid_url_website_incomplete_terms_and_conditions" (v1, v2).
	CodeInvalidURLWebsiteIncompleteTermsAndConditions ErrorCode = "invalid_url_website_incomplete_terms_and_conditions"
	// CodeInvalidURLWebsiteIncompleteUnderConstruction is "invalid_url_website_incomplete_under_construction" (v1, v2).
	CodeInvalidURLWebsiteIncompleteUnderConstruction ErrorCode = "invalid_url_website_incomplete_under_construction"
	// CodeInvalidURLWebsiteOther is "invalid_url_website_other" (v1, v2).
	CodeInvalidURLWebsiteOther ErrorCode = "invalid_url_website_other"
	// CodeInvalidValueOther is "invalid_value_other" (v1, v2).
	CodeInvalidValueOther ErrorCode = "invalid_value_other"
	// CodeUnresolvableIPAddress is "unresolvable_ip_address" (v2 only).
	CodeUnresolvableIPAddress ErrorCode = "unresolvable_ip_address"
	// CodeUnresolvablePostalCode is "unresolvable_postal_code" (v2 only).
	CodeUnresolvablePostalCode ErrorCode = "unresolvable_postal_code"
	// CodeUnsupportedBusinessType is "unsupported_business_type" (v1 only).
	CodeUnsupportedBusinessType ErrorCode = "unsupported_business_type"
	// CodeVerificationDirectorsMismatch is "verification_directors_mismatch" (v1, v2).
	CodeVerificationDirectorsMismatch ErrorCode = "verification_directors_mismatch"
	// CodeVerificationDocumentAddressMismatch is "verification_document_address_mismatch" (v1, v2).
	CodeVerificationDocumentAddressMismatch ErrorCode = "verification_document_address_mismatch"
	// CodeVerificationDocumentAddressMissing is "verification_document_address_missing" (v1, v2).
	CodeVerificationDocumentAddressMissing ErrorCode = "verification_document_address_missing"
	// CodeVerificationDocumentCorrupt is "verification_document_corrupt" (v1, v2).
	CodeVerificationDocumentCorrupt ErrorCode = "verification_document_corrupt"
	// CodeVerificationDocumentCountryNotSupported is "verification_document_country_not_supported" (v1, v2).
	CodeVerificationDocumentCountryNotSupported ErrorCode = "verification_document_country_not_supported"
	// CodeVerificationDocumentDirectorsMismatch is "verification_document_directors_mismatch" (v1, v2).
	CodeVerificationDocumentDirectorsMismatch ErrorCode = "verification_document_directors_mismatch"
	// CodeVerificationDocumentDOBMismatch is "verification_document_dob_mismatch" (v1, v2).
	CodeVerificationDocumentDOBMismatch ErrorCode = "verification_document_dob_mismatch"
	// CodeVerificationDocumentDuplicateType is "verification_document_duplicate_type" (v1, v2).
	CodeVerificationDocumentDuplicateType ErrorCode = "verification_document_duplicate_type"
	// CodeVerificationDocumentExpired is "verification_document_expired" (v1, v2).
	CodeVerificationDocumentExpired ErrorCode = "verification_document_expired"
	// CodeVerificationDocumentFailedCopy is "verification_document_failed_copy" (v1, v2).
	CodeVerificationDocumentFailedCopy ErrorCode = "verification_document_failed_copy"
	// CodeVerificationDocumentFailedGreyscale is "verification_document_failed_greyscale" (v1, v2).
	CodeVerificationDocumentFailedGreyscale ErrorCode = "verification_document_failed_greyscale"
	// CodeVerificationDocumentFailedOther is "verification_document_failed_other" (v1, v2).
	CodeVerificationDocumentFailedOther ErrorCode = "verification_document_failed_other"
	// CodeVerificationDocumentFailedTestMode is "verification_document_failed_test_mode" (v1, v2).
	CodeVerificationDocumentFailedTestMode ErrorCode = "verification_document_failed_test_mode"
	// CodeVerificationDocumentFraudulent is "verification_document_fraudulent" (v1, v2).
	CodeVerificationDocumentFraudulent ErrorCode = "verification_document_fraudulent"
	// CodeVerificationDocumentIDNumberMismatch is "verification_document_id_number_mismatch" (v1, v2).
	CodeVerificationDocumentIDNumberMismatch ErrorCode = "verification_document_id_number_mismatch"
	// CodeVerificationDocumentIDNumberMissing is "verification_document_id_number_missing" (v1, v2).
	CodeVerificationDocumentIDNumberMissing ErrorCode = "verification_document_id_number_missing"
	// CodeVerificationDocumentIncomplete is "verification_document_incomplete" (v1, v2).
	CodeVerificationDocumentIncomplete ErrorCode = "verification_document_incomplete"
	// CodeVerificationDocumentInvalid is "verification_document_invalid" (v1, v2).
	CodeVerificationDocumentInvalid ErrorCode = "verification_document_invalid"
	// CodeVerificationDocumentIssueOrExpiryDateMissing is "verification_document_issue_or_expiry_date_missing" (v1, v2).
	CodeVerificationDocumentIssueOrExpiryDateMissing ErrorCode = "verification_document_issue_or_expiry_date_missing"
	// CodeVerificationDocumentManipulated is "verification_document_manipulated" (v1, v2).
	CodeVerificationDocumentManipulated ErrorCode = "verification_document_manipulated"
	// CodeVerificationDocumentMissingBack is "verification_document_missing_back" (v1, v2).
	CodeVerificationDocumentMissingBack ErrorCode = "verification_document_missing_back"
	// CodeVerificationDocumentMissingFront is "verification_document_missing_front" (v1, v2).
	CodeVerificationDocumentMissingFront ErrorCode = "verification_document_missing_front"
	// CodeVerificationDocumentNameMismatch is "verification_document_name_mismatch" (v1, v2).
	CodeVerificationDocumentNameMismatch ErrorCode = "verification_document_name_mismatch"
	// CodeVerificationDocumentNameMissing is "verification_document_name_missing" (v1, v2).
	CodeVerificationDocumentNameMissing ErrorCode = "verification_document_name_missing"
	// CodeVerificationDocumentNationalityMismatch is "verification_document_nationality_mismatch" (v1, v2).
	CodeVerificationDocumentNationalityMismatch ErrorCode = "verification_document_nationality_mismatch"
	// CodeVerificationDocumentNotReadable is "verification_document_not_readable" (v1, v2).
	CodeVerificationDocumentNotReadable ErrorCode = "verification_document_not_readable"
	// CodeVerificationDocumentNotSigned is "verification_document_not_signed" (v1, v2).
	CodeVerificationDocumentNotSigned ErrorCode = "verification_document_not_signed"
	// CodeVerificationDocumentNotUploaded is "verification_document_not_uploaded" (v1, v2).
	CodeVerificationDocumentNotUploaded ErrorCode = "verification_document_not_uploaded"
	// CodeVerificationDocumentPhotoMismatch is "verification_document_photo_mismatch" (v1, v2).
	CodeVerificationDocumentPhotoMismatch ErrorCode = "verification_document_photo_mismatch"
	// CodeVerificationDocumentTooLarge is "verification_document_too_large" (v1, v2).
	CodeVerificationDocumentTooLarge ErrorCode = "verification_document_too_large"
	// CodeVerificationDocumentTypeNotSupported is "verification_document_type_not_supported" (v1, v2).
	CodeVerificationDocumentTypeNotSupported ErrorCode = "verification_document_type_not_supported"
	// CodeVerificationExtraneousDirectors is "verification_extraneous_directors" (v1, v2).
	CodeVerificationExtraneousDirectors ErrorCode = "verification_extraneous_directors"
	// CodeVerificationFailedAddressMatch is "verification_failed_address_match" (v1, v2).
	CodeVerificationFailedAddressMatch ErrorCode = "verification_failed_address_match"
	// CodeVerificationFailedAuthorizerAuthority is "verification_failed_authorizer_authority" (v1 only).
	CodeVerificationFailedAuthorizerAuthority ErrorCode = "verification_failed_authorizer_authority"
	// CodeVerificationFailedBusinessIECNumber is "verification_failed_business_iec_number" (v1, v2).
	CodeVerificationFailedBusinessIECNumber ErrorCode = "verification_failed_business_iec_number"
	// CodeVerificationFailedDocumentMatch is "verification_failed_document_match" (v1, v2).
	CodeVerificationFailedDocumentMatch ErrorCode = "verification_failed_document_match"
	// CodeVerificationFailedIDNumberMatch is "verification_failed_id_number_match" (v1, v2).
	CodeVerificationFailedIDNumberMatch ErrorCode = "verification_failed_id_number_match"
	// CodeVerificationFailedKeyedIdentity is "verification_failed_keyed_identity" (v1, v2).
	CodeVerificationFailedKeyedIdentity ErrorCode = "verification_failed_keyed_identity"
	// CodeVerificationFailedKeyedMatch is "verification_failed_keyed_match" (v1, v2).
	CodeVerificationFailedKeyedMatch ErrorCode = "verification_failed_keyed_match"
	// CodeVerificationFailedNameMatch is "verification_failed_name_match" (v1, v2).
	CodeVerificationFailedNameMatch ErrorCode = "verification_failed_name_match"
	// CodeVerificationFailedOther is "verification_failed_other" (v1, v2).
	CodeVerificationFailedOther ErrorCode = "verification_failed_other"
	// CodeVerificationFailedRepresentativeAuthority is "verification_failed_representative_authority" (v1, v2).
	CodeVerificationFailedRepresentativeAuthority ErrorCode = "verification_failed_representative_authority"
	// CodeVerificationFailedResidentialAddress is "verification_failed_residential_address" (v1, v2).
	CodeVerificationFailedResidentialAddress ErrorCode = "verification_failed_residential_address"
	// CodeVerificationFailedTaxIDMatch is "verification_failed_tax_id_match" (v1, v2).
	CodeVerificationFailedTaxIDMatch ErrorCode = "verification_failed_tax_id_match"
	// CodeVerificationFailedTaxIDNotIssued is "verification_failed_tax_id_not_issued" (v1, v2).
	CodeVerificationFailedTaxIDNotIssued ErrorCode = "verification_failed_tax_id_not_issued"
	// CodeVerificationLegalEntityStructureMismatch is "verification_legal_entity_structure_mismatch" (v1 only).
	CodeVerificationLegalEntityStructureMismatch ErrorCode = "verification_legal_entity_structure_mismatch"
	// CodeVerificationMissingDirectors is "verification_missing_directors" (v1, v2).
	CodeVerificationMissingDirectors ErrorCode = "verification_missing_directors"
	// CodeVerificationMissingExecutives is "verification_missing_executives" (v1, v2).
	CodeVerificationMissingExecutives ErrorCode = "verification_missing_executives"
	// CodeVerificationMissingOwners is "verification_missing_owners" (v1, v2).
	CodeVerificationMissingOwners ErrorCode = "verification_missing_owners"
	// CodeVerificationRejectedOwnershipExemptionReason is "verification_rejected_ownership_exemption_reason" (v1 only).
	CodeVerificationRejectedOwnershipExemptionReason ErrorCode = "verification_rejected_ownership_exemption_reason"
	// CodeVerificationRequiresAdditionalMemorandumOfAssociations is "verification_requires_additional_memorandum_of_associations" (v1, v2).
	CodeVerificationRequiresAdditionalMemorandumOfAssociations ErrorCode = "verification_requires_additional_memorandum_of_associations"
	// CodeVerificationRequiresAdditionalProofOfRegistration is "verification_requires_additional_proof_of_registration" (v1, v2).
	CodeVerificationRequiresAdditionalProofOfRegistration ErrorCode = "verification_requires_additional_proof_of_registration"
	// CodeVerificationSelfieDocumentMissingPhoto is "verification_selfie_document_missing_photo" (v2 only).
	CodeVerificationSelfieDocumentMissingPhoto ErrorCode = "verification_selfie_document_missing_photo"
	// CodeVerificationSelfieFaceMismatch is "verification_selfie_face_mismatch" (v2 only).
	CodeVerificationSelfieFaceMismatch ErrorCode = "verification_selfie_face_mismatch"
	// CodeVerificationSelfieManipulated is "verification_selfie_manipulated" (v2 only).
	CodeVerificationSelfieManipulated ErrorCode = "verification_selfie_manipulated"
	// CodeVerificationSelfieUnverifiedOther is "verification_selfie_unverified_other" (v2 only).
	CodeVerificationSelfieUnverifiedOther ErrorCode = "verification_selfie_unverified_other"
	// CodeVerificationSupportability is "verification_supportability" (v1, v2).
	CodeVerificationSupportability ErrorCode = "verification_supportability"
	// CodeVerificationTokenStale is "verification_token_stale" (v2 only).
	CodeVerificationTokenStale ErrorCode = "verification_token_stale"
)

// codeRemedy maps every known code to what fixing it takes.
var codeRemedy = map[ErrorCode]Remedy{
	CodeExternalRequest:                                        RemedyProvideInformation,
	CodeInformationMissing:                                     RemedyProvideInformation,
	CodeInvalidAddressCityStatePostalCode:                      RemedyCorrectInformation,
	CodeInvalidAddressHighwayContractBox:                       RemedyCorrectInformation,
	CodeInvalidAddressPrivateMailbox:                           RemedyCorrectInformation,
	CodeInvalidBusinessProfileName:                             RemedyUpdateBusinessProfile,
	CodeInvalidBusinessProfileNameDenylisted:                   RemedyUpdateBusinessProfile,
	CodeInvalidCompanyNameDenylisted:                           RemedyCorrectInformation,
	CodeInvalidDOBAgeOverMaximum:                               RemedyCorrectInformation,
	CodeInvalidDOBAgeUnder18:                                   RemedyCorrectInformation,
	CodeInvalidDOBAgeUnderMinimum:                              RemedyCorrectInformation,
	CodeInvalidProductDescriptionLength:                        RemedyUpdateBusinessProfile,
	CodeInvalidProductDescriptionURLMatch:                      RemedyUpdateBusinessProfile,
	CodeInvalidRepresentativeCountry:                           RemedyUpdatePersons,
	CodeInvalidSignator:                                        RemedyUpdatePersons,
	CodeInvalidStatementDescriptorBusinessMismatch:             RemedyUpdateBusinessProfile,
	CodeInvalidStatementDescriptorDenylisted:                   RemedyUpdateBusinessProfile,
	CodeInvalidStatementDescriptorLength:                       RemedyUpdateBusinessProfile,
	CodeInvalidStatementDescriptorPrefixDenylisted:             RemedyUpdateBusinessProfile,
	CodeInvalidStatementDescriptorPrefixMismatch:               RemedyUpdateBusinessProfile,
	CodeInvalidStreetAddress:                                   RemedyCorrectInformation,
	CodeInvalidTaxID:                                           RemedyCorrectInformation,
	CodeInvalidTaxIDFormat:                                     RemedyCorrectInformation,
	CodeInvalidTOSAcceptance:                                   RemedyAcceptTerms,
	CodeInvalidURLDenylisted:                                   RemedyUpdateBusinessProfile,
	CodeInvalidURLFormat:                                       RemedyUpdateBusinessProfile,
	CodeInvalidURLLength:                                       RemedyUpdateBusinessProfile,
	CodeInvalidURLWebPresenceDetected:                          RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteBusinessInformationMismatch:           RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteEmpty:                                 RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteInaccessible:                          RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteInaccessibleGeoblocked:                RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteInaccessiblePasswordProtected:         RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncomplete:                            RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteCancellationPolicy:          RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteCustomerServiceDetails:      RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteLegalRestrictions:           RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteRefundPolicy:                RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteReturnPolicy:                RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteTermsAndConditions:          RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteIncompleteUnderConstruction:           RemedyUpdateBusinessProfile,
	CodeInvalidURLWebsiteOther:                                 RemedyUpdateBusinessProfile,
	CodeInvalidValueOther:                                      RemedyCorrectInformation,
	CodeUnresolvableIPAddress:                                  RemedyProvideInformation,
	CodeUnresolvablePostalCode:                                 RemedyCorrectInformation,
	CodeUnsupportedBusinessType:                                RemedyContactSupport,
	CodeVerificationDirectorsMismatch:                          RemedyUpdatePersons,
	CodeVerificationDocumentAddressMismatch:                    RemedyCorrectInformation,
	CodeVerificationDocumentAddressMissing:                     RemedyUploadDocument,
	CodeVerificationDocumentCorrupt:                            RemedyUploadDocument,
	CodeVerificationDocumentCountryNotSupported:                RemedyUploadDocument,
	CodeVerificationDocumentDirectorsMismatch:                  RemedyCorrectInformation,
	CodeVerificationDocumentDOBMismatch:                        RemedyCorrectInformation,
	CodeVerificationDocumentDuplicateType:                      RemedyUploadDocument,
	CodeVerificationDocumentExpired:                            RemedyUploadDocument,
	CodeVerificationDocumentFailedCopy:                         RemedyUploadDocument,
	CodeVerificationDocumentFailedGreyscale:                    RemedyUploadDocument,
	CodeVerificationDocumentFailedOther:                        RemedyUploadDocument,
	CodeVerificationDocumentFailedTestMode:                     RemedyUploadDocument,
	CodeVerificationDocumentFraudulent:                         RemedyContactSupport,
	CodeVerificationDocumentIDNumberMismatch:                   RemedyCorrectInformation,
	CodeVerificationDocumentIDNumberMissing:                    RemedyUploadDocument,
	CodeVerificationDocumentIncomplete:                         RemedyUploadDocument,
	CodeVerificationDocumentInvalid:                            RemedyUploadDocument,
	CodeVerificationDocumentIssueOrExpiryDateMissing:           RemedyUploadDocument,
	CodeVerificationDocumentManipulated:                        RemedyContactSupport,
	CodeVerificationDocumentMissingBack:                        RemedyUploadDocument,
	CodeVerificationDocumentMissingFront:                       RemedyUploadDocument,
	CodeVerificationDocumentNameMismatch:                       RemedyCorrectInformation,
	CodeVerificationDocumentNameMissing:                        RemedyUploadDocument,
	CodeVerificationDocumentNationalityMismatch:                RemedyCorrectInformation,
	CodeVerificationDocumentNotReadable:                        RemedyUploadDocument,
	CodeVerificationDocumentNotSigned:                          RemedyUploadDocument,
	CodeVerificationDocumentNotUploaded:                        RemedyUploadDocument,
	CodeVerificationDocumentPhotoMismatch:                      RemedyUploadDocument,
	CodeVerificationDocumentTooLarge:                           RemedyUploadDocument,
	CodeVerificationDocumentTypeNotSupported:                   RemedyUploadDocument,
	CodeVerificationExtraneousDirectors:                        RemedyUpdatePersons,
	CodeVerificationFailedAddressMatch:                         RemedyCorrectInformation,
	CodeVerificationFailedAuthorizerAuthority:                  RemedyUpdatePersons,
	CodeVerificationFailedBusinessIECNumber:                    RemedyCorrectInformation,
	CodeVerificationFailedDocumentMatch:                        RemedyCorrectInformation,
	CodeVerificationFailedIDNumberMatch:                        RemedyCorrectInformation,
	CodeVerificationFailedKeyedIdentity:                        RemedyCorrectInformation,
	CodeVerificationFailedKeyedMatch:                           RemedyCorrectInformation,
	CodeVerificationFailedNameMatch:                            RemedyCorrectInformation,
	CodeVerificationFailedOther:                                RemedyContactSupport,
	CodeVerificationFailedRepresentativeAuthority:              RemedyUpdatePersons,
	CodeVerificationFailedResidentialAddress:                   RemedyCorrectInformation,
	CodeVerificationFailedTaxIDMatch:                           RemedyCorrectInformation,
	CodeVerificationFailedTaxIDNotIssued:                       RemedyCorrectInformation,
	CodeVerificationLegalEntityStructureMismatch:               RemedyUpdatePersons,
	CodeVerificationMissingDirectors:                           RemedyUpdatePersons,
	CodeVerificationMissingExecutives:                          RemedyUpdatePersons,
	CodeVerificationMissingOwners:                              RemedyUpdatePersons,
	CodeVerificationRejectedOwnershipExemptionReason:           RemedyUpdatePersons,
	CodeVerificationRequiresAdditionalMemorandumOfAssociations: RemedyUploadDocument,
	CodeVerificationRequiresAdditionalProofOfRegistration:      RemedyUploadDocument,
	CodeVerificationSelfieDocumentMissingPhoto:                 RemedyUploadDocument,
	CodeVerificationSelfieFaceMismatch:                         RemedyUploadDocument,
	CodeVerificationSelfieManipulated:                          RemedyContactSupport,
	CodeVerificationSelfieUnverifiedOther:                      RemedyUploadDocument,
	CodeVerificationSupportability:                             RemedyContactSupport,
	CodeVerificationTokenStale:                                 RemedyProvideInformation,
}
