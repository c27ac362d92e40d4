// Language switch of the course site (see book/_ext/course_site.py): open the same page in the other
// language, keeping the reader's place (#anchor).  Written for this course.
function courseSwitchLanguage(url) {
  window.location.href = url + window.location.hash;
}
