import"./client-DCAAAM8b.js";import{r as a,g as d,c as n,m as s,h as t,e as c,a as m}from"./style-CkfCve8o.js";const l=d`
  query RecommendationWidget($id: ID!) {
    movie(id: $id) { id title ${a} }
  }
`;async function p(){const r=document.getElementById("widget"),i=decodeURIComponent(window.location.pathname.split("/")[2]||""),e=await n().query(l,{id:s(i)}).toPromise();if(e.error)return r.replaceChildren(t("p",{class:"error"},c(e.error)));if(!e.data.movie)return r.replaceChildren(t("p",{class:"error"},"No such film."));const o=m(e.data.movie,"_top");o.querySelector("h2").append(t("span",{class:"muted"},` if you liked ${e.data.movie.title}`)),r.replaceChildren(o),r.dataset.ready="true"}p();
