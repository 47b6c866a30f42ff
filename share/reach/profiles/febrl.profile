# febrl — person records with English headers, as in the FEBRL benchmark
# data sets (Christen, ANU) and many lists exported from other systems:
# name parts apart, an address, a birth date and an identifier other
# than the citizen ID.  Columns not named here go to "extra".
source	febrl
label	English-header person list (FEBRL layout)

given		given_name | first_name | given name | first name | forename
family		surname | last_name | family_name | last name | family name
birth		date_of_birth | dob | birth_date | date of birth
sex		sex | gender
addr		address_1 | address | street_address
town		suburb | city | town
postcode	postcode | postal_code | zip
card		soc_sec_id | ssn | social_security_number
phone		phone | phone_number | telephone
