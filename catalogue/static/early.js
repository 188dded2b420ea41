// Runs before the page is drawn (the only script that blocks): marks that JavaScript is on, so
// the CSS can fold the search filters into a drawer on small screens without a flash of them.
document.documentElement.classList.add("js");
